package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups.Group;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The loop shared by the "TCP port(s) open to the internet" rules. */
final class OpenPortRuleSupport {
  private OpenPortRuleSupport() {}

  static Resource resource(RegionView view, Group g) {
    return view.resource(
        "AWS::EC2::SecurityGroup", g.groupId(), "ec2", "security-group/" + g.groupId(), g.tags());
  }

  /** One FAIL per judged group admitting any of the ports from the internet, else one PASS. */
  static void judge(
      RegionView view, RuleParameters parameters, Set<Integer> ports, List<RuleResult> results) {
    var groups = view.get(SecurityGroups.class).groups();
    var interfaces = view.get(NetworkInterfaces.class);
    for (var group : InternetExposure.groupsToJudge(groups, interfaces, parameters)) {
      var open = new TreeSet<Integer>();
      var evidence = new ArrayList<String>();
      for (var permission : group.ingress()) {
        var sources = InternetExposure.internetSources(permission);
        if (sources.isEmpty()) {
          continue;
        }
        for (var port : ports) {
          if (InternetExposure.admitsTcp(permission, port) && open.add(port)) {
            evidence.add(
                "port " + port + " (" + InternetExposure.describe(permission, sources) + ")");
          }
        }
      }
      var resource = resource(view, group);
      if (open.isEmpty()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "Security group "
                    + group.groupId()
                    + " ("
                    + group.groupName()
                    + ") allows "
                    + String.join("; ", evidence)));
      }
    }
  }
}
