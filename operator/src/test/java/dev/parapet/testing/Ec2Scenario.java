package dev.parapet.testing;

import static dev.parapet.testing.AwsSeed.allTraffic;
import static dev.parapet.testing.AwsSeed.tcp;

import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.engine.ScanResult;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A seeded EC2 account used by the fault, exact-call and benchmark suites: per region a known
 * number of security groups, interfaces, instances, volumes, snapshots, images and VPCs, with a few
 * violations of every EC2 rule.
 */
public final class Ec2Scenario {
  /** Per region: resources created on top of moto's defaults. */
  public record Counts(
      int openGroups, int closedGroups, int instances, int volumes, int snapshots, int vpcs) {}

  public static final Counts SMALL = new Counts(2, 2, 1, 2, 2, 1);

  private Ec2Scenario() {}

  /** Seeds every region through {@code endpoint} (moto or the proxy in front of it). */
  public static void seed(URI endpoint, List<String> regions, Counts counts) {
    var seed = new AwsSeed(endpoint);
    for (var region : regions) {
      try (var ec2 = seed.ec2(region)) {
        var groups = new java.util.ArrayList<String>();
        for (int i = 0; i < counts.openGroups(); i++) {
          groups.add(
              AwsSeed.securityGroup(
                  ec2,
                  "open-" + i,
                  i % 2 == 0 ? tcp(22, 22, "0.0.0.0/0") : allTraffic("0.0.0.0/0")));
        }
        for (int i = 0; i < counts.closedGroups(); i++) {
          groups.add(AwsSeed.securityGroup(ec2, "closed-" + i, tcp(443, 443, "10.0.0.0/8")));
        }
        if (!groups.isEmpty()) {
          AwsSeed.attach(ec2, groups.toArray(String[]::new));
        }
        var image = AwsSeed.anyImage(ec2);
        String instanceId = null;
        String az = region + "a";
        for (int i = 0; i < counts.instances(); i++) {
          var instance =
              ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1)).instances().get(0);
          instanceId = instance.instanceId();
          az = instance.placement().availabilityZone();
        }
        var zone = az;
        for (int i = 0; i < counts.volumes(); i++) {
          var encrypted = i % 2 == 1;
          var volume =
              ec2.createVolume(b -> b.availabilityZone(zone).size(1).encrypted(encrypted))
                  .volumeId();
          if (instanceId != null && i < 2) {
            var attachTo = instanceId;
            var device = "/dev/sd" + (char) ('f' + i);
            ec2.attachVolume(b -> b.volumeId(volume).instanceId(attachTo).device(device));
          }
          if (i == 0) {
            for (int s = 0; s < counts.snapshots(); s++) {
              var snap = ec2.createSnapshot(b -> b.volumeId(volume)).snapshotId();
              if (s == 0) {
                ec2.modifySnapshotAttribute(
                    b ->
                        b.snapshotId(snap)
                            .attribute("createVolumePermission")
                            .operationType("add")
                            .groupNames("all"));
              }
            }
          }
        }
        if (instanceId != null) {
          var from = instanceId;
          var ami = ec2.createImage(b -> b.instanceId(from).name("golden")).imageId();
          ec2.modifyImageAttribute(
              b -> b.imageId(ami).launchPermission(l -> l.add(p -> p.group("all"))));
        }
        for (int i = 0; i < counts.vpcs(); i++) {
          var cidr = "10." + (10 + i) + ".0.0/16";
          ec2.createVpc(b -> b.cidrBlock(cidr));
        }
      }
    }
  }

  /** Results as comparable lines (rule, region, resource, status, evidence). */
  public static Set<String> lines(ScanReport report) {
    var out = new TreeSet<String>();
    for (ScanResult r : report.results()) {
      out.add(
          r.ruleId()
              + "|"
              + r.region()
              + "|"
              + (r.resource() == null ? "-" : r.resource().id())
              + "|"
              + r.status()
              + "|"
              + r.evidence());
    }
    return out;
  }

  /** The lines of one region, or of every other region. */
  public static Set<String> lines(ScanReport report, String region, boolean inRegion) {
    var out = new TreeSet<String>();
    for (var line : lines(report)) {
      var lineRegion = line.split("\\|")[1];
      if (lineRegion.equals(region) == inRegion) {
        out.add(line);
      }
    }
    return out;
  }
}
