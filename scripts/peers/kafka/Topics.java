// Topics — create (or check) Kafka topics through the Admin API, for scripts/peers/kafka-topics.
// Run as a single-file source program (Java 11+): java -cp "<kafka libs>/*" Topics.java ...
//
//   Topics --bootstrap HOST:PORT [--timeout-ms N] [--delete] SPEC...
//   SPEC = name:partitions:retention_ms
//
// Create: a topic that exists already is left as it is when its partition count matches, gets
// its retention.ms set (incrementalAlterConfigs) when that differs, and is an error when it has
// fewer or more partitions than asked (partitions are never changed silently).
// Delete: deletes the named topics (SPEC may be just a name); missing ones are fine.
// Prints one line per topic to stdout; exit 0 on success, 1 on failure, 2 on bad usage.

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

public class Topics {
  record Spec(String name, int partitions, long retentionMs) {}

  public static void main(String[] args) {
    String bootstrap = null;
    long timeoutMs = 30_000;
    boolean delete = false;
    List<Spec> specs = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--bootstrap" -> bootstrap = args[++i];
          case "--timeout-ms" -> timeoutMs = Long.parseLong(args[++i]);
          case "--delete" -> delete = true;
          default -> specs.add(parse(args[i], delete));
        }
      }
    } catch (RuntimeException e) {
      System.err.println("Topics: bad arguments: " + e.getMessage());
      System.exit(2);
    }
    if (bootstrap == null || specs.isEmpty()) {
      System.err.println("usage: Topics --bootstrap HOST:PORT [--timeout-ms N] [--delete] name:partitions:retention_ms...");
      System.exit(2);
    }

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "taskflow-peers-topics");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, Integer.MAX_VALUE));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, Integer.MAX_VALUE));
    try (Admin admin = Admin.create(props)) {
      if (delete) {
        deleteTopics(admin, specs, timeoutMs);
      } else {
        createTopics(admin, specs, timeoutMs);
      }
    } catch (Failure e) {
      System.err.println("Topics: " + e.getMessage());
      System.exit(1);
    } catch (Exception e) {
      System.err.println("Topics: " + e);
      System.exit(1);
    }
  }

  static final class Failure extends Exception {
    Failure(String message) { super(message); }
  }

  static Spec parse(String arg, boolean nameOnly) {
    String[] parts = arg.split(":");
    if (nameOnly && parts.length == 1) return new Spec(parts[0], 0, 0);
    if (parts.length != 3 || parts[0].isEmpty()) {
      throw new IllegalArgumentException("expected name:partitions:retention_ms, got " + arg);
    }
    int partitions = Integer.parseInt(parts[1]);
    long retention = Long.parseLong(parts[2]);
    if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1 in " + arg);
    return new Spec(parts[0], partitions, retention);
  }

  static void createTopics(Admin admin, List<Spec> specs, long timeoutMs) throws Exception {
    List<NewTopic> fresh = new ArrayList<>();
    for (Spec s : specs) {
      fresh.add(new NewTopic(s.name(), s.partitions(), (short) 1)
          .configs(Map.of("retention.ms", Long.toString(s.retentionMs()))));
    }
    Map<String, ? extends org.apache.kafka.common.KafkaFuture<Void>> results =
        admin.createTopics(fresh).values();
    List<Spec> existing = new ArrayList<>();
    for (Spec s : specs) {
      try {
        results.get(s.name()).get(timeoutMs, TimeUnit.MILLISECONDS);
        System.out.printf("created %s partitions=%d retention.ms=%d%n", s.name(), s.partitions(), s.retentionMs());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          existing.add(s);
        } else {
          throw new Failure("creating " + s.name() + ": " + e.getCause());
        }
      }
    }
    if (existing.isEmpty()) return;

    // Bring existing topics in line (retention) or refuse (partition count).
    Map<String, TopicDescription> described = admin
        .describeTopics(existing.stream().map(Spec::name).toList())
        .allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
    List<ConfigResource> resources = existing.stream()
        .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
    var configs = admin.describeConfigs(resources).all().get(timeoutMs, TimeUnit.MILLISECONDS);
    Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (Spec s : existing) {
      int have = described.get(s.name()).partitions().size();
      if (have != s.partitions()) {
        problems.add(s.name() + " exists with " + have + " partitions, wanted " + s.partitions());
        continue;
      }
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, s.name());
      ConfigEntry retention = configs.get(r).get("retention.ms");
      String want = Long.toString(s.retentionMs());
      if (retention == null || !want.equals(retention.value())) {
        alter.put(r, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", want), AlterConfigOp.OpType.SET)));
        System.out.printf("exists  %s partitions=%d retention.ms=%s -> %s%n", s.name(), have,
            retention == null ? "?" : retention.value(), want);
      } else {
        System.out.printf("exists  %s partitions=%d retention.ms=%s%n", s.name(), have, want);
      }
    }
    if (!alter.isEmpty()) {
      admin.incrementalAlterConfigs(alter).all().get(timeoutMs, TimeUnit.MILLISECONDS);
    }
    if (!problems.isEmpty()) throw new Failure(String.join("; ", problems));
  }

  static void deleteTopics(Admin admin, List<Spec> specs, long timeoutMs) throws Exception {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (Spec s : specs) names.add(s.name());
    var results = admin.deleteTopics(names).topicNameValues();
    for (String name : names) {
      try {
        results.get(name).get(timeoutMs, TimeUnit.MILLISECONDS);
        System.out.println("deleted " + name);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          System.out.println("absent  " + name);
        } else {
          throw new Failure("deleting " + name + ": " + e.getCause());
        }
      }
    }
  }
}
