package dev.parapet.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Element;

/**
 * A WireMock proxy in front of moto. It forwards every call to moto, except:
 *
 * <ul>
 *   <li><b>moto gaps</b> (always on): moto 5.2.5 ignores {@code OwnerIds=self} and {@code
 *       RestorableByUserIds=all} on DescribeSnapshots (it returns its ~1,300 preloaded public
 *       snapshots and treats every snapshot as public), and it lacks
 *       Get/Enable/DisableSnapshotBlockPublicAccess (HTTP 500). The proxy answers those from moto's
 *       own state (owner-id filter, DescribeSnapshotAttribute) and from a per-region state it
 *       keeps.
 *   <li><b>faults</b> (opt-in): AccessDenied for a service in a region, throttling on every n-th
 *       call, a region that never answers in time, latency on every call.
 *   <li><b>replay</b> (opt-in, benchmarks): canned answers recorded from moto ({@link #replay()}).
 * </ul>
 */
public final class MotoProxy implements AutoCloseable {
  private static final int FAULT = 1;
  private static final int REPLAY = 2;

  /** Marks a request the throttler already let through, so it reaches the shims and moto. */
  private static final String PASS = "X-Parapet-Proxy-Pass";

  private static final int SHIM = 5;
  private static final int FORWARD = 10;

  private final MotoServer moto;
  private final WireMockServer server;
  private final Map<String, String> snapshotBpa = new ConcurrentHashMap<>();
  private final EveryNth everyNth = new EveryNth();
  private final AtomicLong requests = new AtomicLong();
  private final Replay replay = new Replay();
  private boolean replayStubbed;

  public MotoProxy(MotoServer moto) {
    this.moto = moto;
    this.server =
        new WireMockServer(
            WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                // Enough threads and accept backlog that the proxy is not what a benchmark
                // measures.
                .containerThreads(300)
                .jettyAcceptors(2)
                .jettyAcceptQueueSize(1024)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(300)
                .disableRequestJournal()
                .extensions(
                    new SnapshotShim(moto.endpoint()), new BpaShim(snapshotBpa), everyNth, replay));
    // Counted whether or not the request journal is on (it is off).
    server.addMockServiceRequestListener((request, response) -> requests.incrementAndGet());
    server.start();
    server.stubFor(
        any(anyUrl())
            .atPriority(FORWARD)
            .willReturn(aResponse().proxiedFrom(moto.endpoint().toString())));
    server.stubFor(
        ec2Action("DescribeSnapshots")
            .atPriority(SHIM)
            .willReturn(aResponse().withTransformers(SnapshotShim.NAME)));
    for (var action :
        new String[] {
          "GetSnapshotBlockPublicAccessState",
          "EnableSnapshotBlockPublicAccess",
          "DisableSnapshotBlockPublicAccess"
        }) {
      server.stubFor(
          ec2Action(action)
              .atPriority(SHIM)
              .willReturn(aResponse().withTransformers(BpaShim.NAME)));
    }
  }

  /**
   * A bare WireMock proxy in front of moto, for tests that read the requests it saw (its request
   * journal is on) and stub answers of their own over the forward: none of this class's shims,
   * faults or replay. Bound to 127.0.0.1 on a free port and started; the caller stops it.
   */
  public static WireMockServer recording(MotoServer moto) {
    var server =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    forward(server, moto);
    return server;
  }

  /**
   * Forwards to moto every request {@code server} has no stub of a higher priority (a lower number
   * than {@value #FORWARD}) for; after {@code resetAll()} or {@code resetToDefaultMappings()}, puts
   * the forward of {@link #recording} back.
   */
  public static void forward(WireMockServer server, MotoServer moto) {
    server.stubFor(
        any(anyUrl())
            .atPriority(FORWARD)
            .willReturn(aResponse().proxiedFrom(moto.endpoint().toString())));
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** Adds a fixed delay to every answer (benchmarks). */
  public void latency(int millis) {
    server.setGlobalFixedDelay(millis);
  }

  /**
   * From now on, answers are canned: the first answer to each distinct request (signing region and
   * service, method, path and query, {@code X-Amz-Target}, body; not the credentials, so any number
   * of accounts with their own keys share them) is taken from moto through the proxy's shims and
   * kept, and every later identical request gets the kept answer without reaching moto. For
   * benchmarks of many accounts, where moto's own CPU time would be what is measured: scan one
   * account once to record (or use {@link #record()} first), then scan as many as needed. An answer
   * with a 5xx status is passed on but never kept: it is the server failing, not its answer (moto
   * fails some concurrent first requests to a service with HTTP 500), so the next identical request
   * asks moto again. Faults and latency still apply.
   */
  public void replay() {
    replayStub();
    replay.recording = false;
  }

  /**
   * Like {@link #replay()}, but every request still reaches moto and its answer replaces the kept
   * one (5xx answers are not kept), until {@link #replay()} is called: the recording then holds
   * moto's last answer to each request, so a request asked again after a call that changed moto's
   * state is replayed with the changed answer (IAM's GetCredentialReport: "not present", then
   * GenerateCredentialReport, then the report; with first answers only, every replayed scan would
   * get "not present" after generating).
   */
  public void record() {
    replayStub();
    replay.recording = true;
  }

  private synchronized void replayStub() {
    if (replayStubbed) {
      return;
    }
    replayStubbed = true;
    server.stubFor(
        any(anyUrl())
            .withHeader(PASS, absent())
            .atPriority(REPLAY)
            .willReturn(
                aResponse()
                    .withTransformers(Replay.NAME)
                    .withTransformerParameter("target", endpoint().toString())));
  }

  /**
   * Requests answered by moto (forwarded to it, whether their answer was kept or not) and from the
   * recording (replayed) so far.
   */
  public long[] replayCounts() {
    return new long[] {replay.recorded.get(), replay.replayed.get()};
  }

  /** Every call to {@code service} in {@code region} is refused as if IAM denied it. */
  public void accessDenied(String service, String region) {
    server.stubFor(
        signedFor(service, region)
            .atPriority(FAULT)
            .willReturn(
                error(
                    service,
                    403,
                    denialCode(service),
                    "User is not authorized to perform this operation")));
  }

  /** Every call of one EC2 action in a region is refused as if IAM denied it. */
  public void accessDeniedFor(String action, String region) {
    server.stubFor(
        ec2Action(action)
            .withHeader("Authorization", matching(".*/" + region + "/ec2/aws4_request.*"))
            .atPriority(FAULT)
            .willReturn(
                error(
                    "ec2",
                    403,
                    "UnauthorizedOperation",
                    "You are not authorized to perform this operation.")));
  }

  /**
   * Every call of one operation of a service (any region) is refused as if IAM denied it: query
   * APIs (ec2, iam) by their {@code Action}, JSON APIs (kms, cloudtrail) by their {@code
   * X-Amz-Target}, and S3's GetBucketTagging by its {@code ?tagging} subresource.
   */
  public void accessDeniedForOperation(String service, String operation) {
    MappingBuilder mapping =
        switch (service) {
          case "kms", "cloudtrail" ->
              any(anyUrl()).withHeader("X-Amz-Target", matching(".*\\." + operation));
          case "s3" -> {
            if (!operation.equals("GetBucketTagging")) {
              throw new IllegalArgumentException("no S3 mapping for " + operation);
            }
            yield get(anyUrl()).withQueryParam("tagging", matching(".*"));
          }
          default ->
              post(anyUrl()).withRequestBody(matching("(?s).*Action=" + operation + "(&.*)?"));
        };
    server.stubFor(
        mapping
            .withHeader("Authorization", matching(".*/" + service + "/aws4_request.*"))
            .atPriority(FAULT)
            .willReturn(
                error(
                    service,
                    403,
                    denialCode(service),
                    "User is not authorized to perform " + service + ":" + operation)));
  }

  /**
   * A canned answer for one operation of a service (any region), for the calls moto lacks or
   * answers wrongly: query APIs (ec2, iam, rds, sns, cloudwatch) by their {@code Action}, JSON APIs
   * by their {@code X-Amz-Target}, REST APIs by method and path ({@code GET /analyzer}), S3 by a
   * subresource named in {@code operation} as {@code ?versioning}. {@code service} is the signing
   * name ({@code access-analyzer}). Remove it with {@link #removeAnswer} so later tests see moto
   * again.
   */
  public com.github.tomakehurst.wiremock.stubbing.StubMapping answer(
      String service, String operation, int status, String contentType, String body) {
    MappingBuilder mapping;
    if (operation.startsWith("GET /")) {
      // REST APIs (access-analyzer ListAnalyzers is GET /analyzer): by method and path.
      mapping =
          get(
              com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                  operation.substring(4)));
    } else if (service.equals("s3")) {
      if (!operation.startsWith("?")) {
        throw new IllegalArgumentException("S3 answers name a subresource: " + operation);
      }
      mapping = get(anyUrl()).withQueryParam(operation.substring(1), matching(".*"));
    } else if (contentType.contains("json")) {
      mapping = any(anyUrl()).withHeader("X-Amz-Target", matching(".*\\." + operation));
    } else {
      mapping = post(anyUrl()).withRequestBody(matching("(?s).*Action=" + operation + "(&.*)?"));
    }
    return server.stubFor(
        mapping
            .withHeader("Authorization", matching(".*/" + service + "/aws4_request.*"))
            .atPriority(FAULT)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", contentType)
                    .withBody(body)));
  }

  /** Removes a canned answer of {@link #answer}. */
  public void removeAnswer(com.github.tomakehurst.wiremock.stubbing.StubMapping mapping) {
    server.removeStub(mapping);
  }

  /** Every call of one EC2 action in a region is throttled (retries never succeed). */
  public void alwaysThrottle(String action, String region) {
    server.stubFor(
        ec2Action(action)
            .withHeader("Authorization", matching(".*/" + region + "/ec2/aws4_request.*"))
            .atPriority(FAULT)
            .willReturn(error("ec2", 503, "RequestLimitExceeded", "Request limit exceeded.")));
  }

  /**
   * One in {@code n} calls to {@code service} in any region is throttled; the others go to moto (or
   * the shims). The SDK's retries should absorb these.
   */
  public void throttleEvery(int n, String service) {
    server.stubFor(
        signedFor(service, "[a-z0-9-]+")
            .atPriority(FAULT)
            .willReturn(
                aResponse()
                    .withTransformers(EveryNth.NAME)
                    .withTransformerParameter("n", n)
                    .withTransformerParameter("target", endpoint().toString())
                    .withTransformerParameter("service", service)));
  }

  /** Every call to {@code region} (any service) answers only after {@code millis}. */
  public void slowRegion(String region, int millis) {
    server.stubFor(
        any(anyUrl())
            .withHeader("Authorization", matching(".*/" + region + "/[a-z0-9]+/aws4_request.*"))
            .atPriority(FAULT)
            .willReturn(
                aResponse().proxiedFrom(moto.endpoint().toString()).withFixedDelay(millis)));
  }

  /** Requests the proxy has answered so far (any outcome). */
  public long requests() {
    return requests.get();
  }

  /** Requests the proxy answered with an injected throttling error. */
  public long throttled() {
    return everyNth.throttled.get();
  }

  private static MappingBuilder signedFor(String service, String regionRegex) {
    return any(anyUrl())
        .withHeader(
            "Authorization", matching(".*/" + regionRegex + "/" + service + "/aws4_request.*"))
        .withHeader(PASS, absent());
  }

  private static MappingBuilder ec2Action(String action) {
    return post(anyUrl()).withRequestBody(matching("(?s).*Action=" + action + "(&.*)?"));
  }

  private static String denialCode(String service) {
    return switch (service) {
      case "ec2" -> "UnauthorizedOperation";
      case "kms", "cloudtrail" -> "AccessDeniedException";
      default -> "AccessDenied";
    };
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(
      String service, int status, String code, String message) {
    return switch (service) {
      case "ec2" ->
          aResponse()
              .withStatus(status)
              .withHeader("Content-Type", "text/xml")
              .withBody(
                  "<Response><Errors><Error><Code>"
                      + code
                      + "</Code><Message>"
                      + message
                      + "</Message></Error></Errors><RequestID>proxy</RequestID></Response>");
      case "kms", "cloudtrail" ->
          aResponse()
              .withStatus(status == 503 ? 400 : status)
              .withHeader("Content-Type", "application/x-amz-json-1.1")
              .withBody("{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}");
      case "s3" ->
          aResponse()
              .withStatus(status)
              .withHeader("Content-Type", "application/xml")
              .withBody(
                  "<Error><Code>" + code + "</Code><Message>" + message + "</Message></Error>");
      default ->
          aResponse()
              .withStatus(status)
              .withHeader("Content-Type", "text/xml")
              .withBody(
                  "<ErrorResponse><Error><Type>Sender</Type><Code>"
                      + code
                      + "</Code><Message>"
                      + message
                      + "</Message></Error><RequestId>proxy</RequestId></ErrorResponse>");
    };
  }

  @Override
  public void close() {
    server.stop();
  }

  static Map<String, String> form(String body) {
    var out = new LinkedHashMap<String, String>();
    for (var pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      var i = pair.indexOf('=');
      var k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
      var v = i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  static String encode(Map<String, String> form) {
    var sb = new StringBuilder();
    form.forEach(
        (k, v) -> {
          if (sb.length() > 0) {
            sb.append('&');
          }
          sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return sb.toString();
  }

  static String region(String authorization) {
    var m =
        Pattern.compile("Credential=[^/]+/\\d+/([a-z0-9-]+)/")
            .matcher(authorization == null ? "" : authorization);
    return m.find() ? m.group(1) : "us-east-1";
  }

  /** DescribeSnapshots with AWS semantics for OwnerIds=self and RestorableByUserIds=all. */
  static final class SnapshotShim implements ResponseDefinitionTransformerV2 {
    static final String NAME = "moto-snapshots";
    private final URI moto;
    private final HttpClient http = HttpClient.newHttpClient();

    SnapshotShim(URI moto) {
      this.moto = moto;
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      var request = event.getRequest();
      var auth = request.getHeader("Authorization");
      var params = form(request.getBodyAsString());
      var publicOnly = false;
      var forwarded = new LinkedHashMap<String, String>();
      var self = false;
      for (var e : params.entrySet()) {
        if (e.getKey().startsWith("Owner")) {
          self |= "self".equals(e.getValue()) || MotoServer.ACCOUNT_ID.equals(e.getValue());
        } else if (e.getKey().startsWith("RestorableBy")) {
          publicOnly |= "all".equals(e.getValue());
        } else {
          forwarded.put(e.getKey(), e.getValue());
        }
      }
      if (self) {
        var n = 1;
        while (forwarded.containsKey("Filter." + n + ".Name")) {
          n++;
        }
        forwarded.put("Filter." + n + ".Name", "owner-id");
        forwarded.put("Filter." + n + ".Value.1", MotoServer.ACCOUNT_ID);
      }
      try {
        var xml = call(auth, encode(forwarded));
        if (publicOnly) {
          xml = keepPublic(auth, xml);
        }
        return aResponse()
            .withStatus(200)
            .withHeader("Content-Type", "text/xml")
            .withBody(xml)
            .build();
      } catch (Exception e) {
        return error("ec2", 500, "InternalError", "proxy shim failed: " + e).build();
      }
    }

    private String call(String auth, String body) throws IOException, InterruptedException {
      var response =
          http.send(
              HttpRequest.newBuilder(moto)
                  .header("Authorization", auth)
                  .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("moto answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    }

    private String keepPublic(String auth, String xml) throws Exception {
      var factory = DocumentBuilderFactory.newInstance();
      var doc =
          factory
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
      var sets = doc.getElementsByTagName("snapshotSet");
      if (sets.getLength() > 0) {
        var set = (Element) sets.item(0);
        var items = set.getChildNodes();
        for (int i = items.getLength() - 1; i >= 0; i--) {
          if (!(items.item(i) instanceof Element item)) {
            continue;
          }
          var id = item.getElementsByTagName("snapshotId").item(0).getTextContent();
          var attr =
              call(
                  auth,
                  "Action=DescribeSnapshotAttribute&Version=2016-11-15&Attribute=createVolumePermission&SnapshotId="
                      + id);
          if (!attr.contains("<group>all</group>")) {
            set.removeChild(item);
          }
        }
      }
      var out = new StringWriter();
      TransformerFactory.newInstance()
          .newTransformer()
          .transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    }
  }

  /** Snapshot block public access per region (moto lacks the three APIs). */
  static final class BpaShim implements ResponseDefinitionTransformerV2 {
    static final String NAME = "moto-snapshot-bpa";
    private final Map<String, String> state;

    BpaShim(Map<String, String> state) {
      this.state = state;
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      var request = event.getRequest();
      var region = region(request.getHeader("Authorization"));
      var params = form(request.getBodyAsString());
      var action = params.get("Action");
      String value;
      switch (action) {
        case "EnableSnapshotBlockPublicAccess" -> {
          value = params.getOrDefault("State", "block-all-sharing");
          state.put(region, value);
        }
        case "DisableSnapshotBlockPublicAccess" -> {
          value = "unblocked";
          state.put(region, value);
        }
        default -> value = state.getOrDefault(region, "unblocked");
      }
      var body =
          "<"
              + action
              + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
              + "<requestId>proxy</requestId><state>"
              + value
              + "</state></"
              + action
              + "Response>";
      return aResponse()
          .withStatus(200)
          .withHeader("Content-Type", "text/xml")
          .withBody(body)
          .build();
    }
  }

  /**
   * Answers a request from the recording, or forwards it back through the proxy (so the shims and
   * moto answer it) and records the answer (not a 5xx answer). While {@code recording}, every
   * request is forwarded and its answer replaces the kept one.
   */
  static final class Replay implements ResponseDefinitionTransformerV2 {
    static final String NAME = "replay";
    // Request headers the JDK client sets itself (or refuses), and response headers that describe
    // one transfer rather than the answer.
    private static final java.util.Set<String> HOP =
        java.util.Set.of(
            "host",
            "connection",
            "content-length",
            "expect",
            "upgrade",
            "transfer-encoding",
            "date");
    final AtomicLong recorded = new AtomicLong();
    final AtomicLong replayed = new AtomicLong();
    volatile boolean recording;
    private final Map<String, ResponseDefinition> answers = new ConcurrentHashMap<>();
    private final HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      var request = event.getRequest();
      var auth = request.getHeader("Authorization");
      var scope =
          Pattern.compile("Credential=[^/]+/\\d+/([a-z0-9-]+/[a-z0-9-]+)/")
              .matcher(auth == null ? "" : auth);
      var key =
          (scope.find() ? scope.group(1) : "-")
              + ' '
              + request.getMethod()
              + ' '
              + request.getUrl()
              + ' '
              + request.getHeader("X-Amz-Target")
              + ' '
              + request.getBodyAsString();
      var known = recording ? null : answers.get(key);
      if (known != null) {
        replayed.incrementAndGet();
        return known;
      }
      var target = event.getResponseDefinition().getTransformerParameters().getString("target");
      var forward =
          HttpRequest.newBuilder(URI.create(target + request.getUrl()))
              .method(
                  request.getMethod().getName(),
                  HttpRequest.BodyPublishers.ofByteArray(request.getBody()))
              .header(PASS, "1");
      for (var h : request.getHeaders().all()) {
        if (!HOP.contains(h.key().toLowerCase(java.util.Locale.ROOT))) {
          h.values().forEach(v -> forward.header(h.key(), v));
        }
      }
      try {
        var answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        var response = aResponse().withStatus(answer.statusCode()).withBody(answer.body());
        answer
            .headers()
            .map()
            .forEach(
                (name, values) -> {
                  if (!HOP.contains(name.toLowerCase(java.util.Locale.ROOT))
                      && !name.startsWith(":")) {
                    values.forEach(v -> response.withHeader(name, v));
                  }
                });
        var definition = response.build();
        recorded.incrementAndGet();
        if (answer.statusCode() < 500) {
          if (recording) {
            answers.put(key, definition);
          } else {
            answers.putIfAbsent(key, definition);
          }
        }
        return definition;
      } catch (IOException e) {
        return error("ec2", 500, "InternalError", "proxy replay failed: " + e).build();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return error("ec2", 500, "InternalError", "proxy replay interrupted").build();
      }
    }
  }

  /** Throttles every n-th matching call and forwards the rest back through the proxy's shims. */
  static final class EveryNth implements ResponseDefinitionTransformerV2 {
    static final String NAME = "every-nth-throttle";
    final AtomicLong throttled = new AtomicLong();
    private final AtomicLong seen = new AtomicLong();
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      var params = event.getResponseDefinition().getTransformerParameters();
      var n = params.getInt("n");
      var service = params.getString("service");
      // Only first attempts are candidates (the SDK sends "amz-sdk-request: attempt=N; max=M"), so
      // the share is exact and a retried call always gets through.
      var attempt = event.getRequest().getHeader("amz-sdk-request");
      var first = attempt == null || attempt.startsWith("attempt=1;");
      if (first && seen.incrementAndGet() % n == 0) {
        throttled.incrementAndGet();
        return error(
                service, service.equals("ec2") ? 503 : 400, throttleCode(service), "Rate exceeded")
            .build();
      }
      return aResponse()
          .proxiedFrom(params.getString("target"))
          .withAdditionalRequestHeader(PASS, "1")
          .build();
    }

    private static String throttleCode(String service) {
      return service.equals("ec2") ? "RequestLimitExceeded" : "ThrottlingException";
    }
  }
}
