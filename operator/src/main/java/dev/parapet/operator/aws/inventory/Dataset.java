package dev.parapet.operator.aws.inventory;

/**
 * One unit of collected data (e.g. the security groups of one region). Each implementation is a
 * record annotated with {@link DatasetSpec}; it is collected once per region (or once per account
 * for global data) and is either wholly known or wholly unknown.
 */
public interface Dataset {

  /** How many cloud resources this dataset describes (for the "resources scanned" figure). */
  int resourceCount();

  /**
   * Failures of single resources inside a known dataset (e.g. one bucket whose policy could not be
   * read); listed in the scan's errors next to whole-dataset failures.
   */
  default java.util.List<CollectionError> partialErrors() {
    return java.util.List.of();
  }
}
