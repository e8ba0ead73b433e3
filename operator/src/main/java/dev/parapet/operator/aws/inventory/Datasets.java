package dev.parapet.operator.aws.inventory;

import java.util.List;

/** Reads the {@link DatasetSpec} of a dataset type. */
public final class Datasets {

  /** The pseudo-region under which global (account-wide) datasets are stored. */
  public static final String GLOBAL = "global";

  private Datasets() {}

  public static DatasetSpec spec(Class<? extends Dataset> type) {
    var spec = type.getAnnotation(DatasetSpec.class);
    if (spec == null) {
      throw new IllegalStateException(type.getName() + " lacks @DatasetSpec");
    }
    return spec;
  }

  public static String service(Class<? extends Dataset> type) {
    return spec(type).service();
  }

  public static boolean isGlobal(Class<? extends Dataset> type) {
    return spec(type).global();
  }

  public static List<String> actions(Class<? extends Dataset> type) {
    return List.of(spec(type).actions());
  }
}
