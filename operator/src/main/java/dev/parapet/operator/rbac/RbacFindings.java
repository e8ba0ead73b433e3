package dev.parapet.operator.rbac;

import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.findings.WorkloadFindings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where the cluster audit keeps the Findings of {@link RbacRisks}: a RoleBinding's Finding lives in
 * the binding's namespace (next to the grant, readable by whoever may read that namespace's
 * Findings, like Trivy Operator's namespaced RbacAssessmentReport); a ClusterRoleBinding's Finding
 * lives in the controller's own namespace ({@code clusterNamespace}), the one place for
 * cluster-scoped grants, as Trivy Operator's cluster-scoped ClusterRbacAssessmentReport is. Not the
 * subject's namespace: a cluster-wide grant is a cluster administrator's business, the subject's
 * namespace may not exist or may belong to a tenant who should not learn the cluster's RBAC, and
 * one grant to several subjects would be spread over several namespaces. The Finding's owner is the
 * binding (a cluster-scoped owner of a namespaced Finding is allowed), so deleting the binding
 * garbage-collects its Findings; a risk that goes away resolves its Finding on the next audit.
 */
public final class RbacFindings {
  private RbacFindings() {}

  /**
   * The desired Findings of {@code risks}; RoleBindings in an {@code excluded} namespace (the
   * audit's excluded namespaces) are skipped, as workloads there are.
   */
  public static List<DesiredFinding> desired(
      List<RbacRisks.Risk> risks, String clusterNamespace, Collection<String> excluded) {
    var out = new ArrayList<DesiredFinding>();
    for (var r : risks) {
      var ns = r.binding().getMetadata().getNamespace();
      if (ns != null && excluded.contains(ns)) {
        continue;
      }
      var d = WorkloadFindings.desired(r.binding(), r.violation());
      out.add(
          ns != null
              ? d
              : new DesiredFinding(
                  clusterNamespace, d.name(), d.labels(), d.spec(), d.owner(), d.suppressedBy()));
    }
    return out;
  }
}
