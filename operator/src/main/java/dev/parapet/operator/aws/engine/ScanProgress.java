package dev.parapet.operator.aws.engine;

/**
 * Told as each (dataset, region) collection finishes, from the collecting threads. The CLI prints
 * it on stderr for long scans; the operator does not listen.
 */
@FunctionalInterface
public interface ScanProgress {

  /** Listens to nothing. */
  ScanProgress NONE = (service, dataset, region, done, total) -> {};

  /**
   * One collection finished.
   *
   * @param service AWS service of the dataset, e.g. ec2
   * @param dataset the dataset's name, e.g. SecurityGroups
   * @param region the region, or global
   * @param done collections finished so far, this one included
   * @param total collections in this scan
   */
  void collected(String service, String dataset, String region, int done, int total);
}
