package dev.parapet.operator.aws.inventory;

/**
 * One unit of collected data (e.g. the security groups of one region). Each implementation is a
 * record annotated with {@link DatasetSpec}; it is collected once per region (or once per account
 * for global data) and is either wholly known or wholly unknown.
 */
public interface Dataset {

  /** How many cloud resources this dataset describes (for the "resources scanned" figure). */
  int resourceCount();
}
