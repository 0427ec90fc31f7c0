package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.AccessServiceProto;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.DescribeIdentityPoolUsageRequest;
import dev.tally.proto.v1.GetLicenseUsageRequest;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.LicenseServiceProto;
import dev.tally.proto.v1.ListAccessKeysRequest;
import dev.tally.proto.v1.ListApiKeysRequest;
import dev.tally.proto.v1.ListDeveloperKeysRequest;
import dev.tally.proto.v1.ListIdentityPoolsRequest;
import dev.tally.proto.v1.ListLicensesRequest;
import dev.tally.proto.v1.ListUsagePlansRequest;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.SyncServiceProto;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsagePlanServiceProto;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.proto.v1.UsageServiceProto;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and boundary requests for every RPC of every tally.v1 service, built from the descriptors (so a
 * new RPC is covered without editing this test): empty, huge and non-ASCII strings, int64 and double
 * edges, enum numbers the contract does not define, Timestamps and Durations out of range, 0 and 10,000
 * repeated elements, malformed page tokens, mixed with well-formed ids of real resources. No call may be
 * INTERNAL or UNKNOWN or hang, none holding an undefined enum number may succeed, and a batch of calls that
 * were all refused changes nothing any read shows.
 * Fixed seeds, plus one random seed that is printed, so a failure can be replayed.
 */
class FuzzIT {

    private static final List<FileDescriptor> CONTRACT = List.of(AccessServiceProto.getDescriptor(), SyncServiceProto.getDescriptor(),
            UsagePlanServiceProto.getDescriptor(), LicenseServiceProto.getDescriptor(), UsageServiceProto.getDescriptor());
    private static final int CALLS_PER_SEED = 6;
    private static final String UNICODE = "é中😀\u202e";

    @TempDir
    Path dir;

    private TestServer server;
    private final List<String> ids = new ArrayList<>();
    /** Whether the request being built holds an enum number the contract does not define: it must be refused. */
    private boolean undefinedEnum;

    @Test
    void randomAndBoundaryRequests_toEveryRpc_areNeverInternal_neverHang_andRefusedOnesChangeNothing() throws Exception {
        long randomSeed = new Random().nextLong();
        System.out.println("FuzzIT random seed: " + randomSeed + " (replay: set it as the last seed)");
        List<Long> seeds = List.of(1L, 2L, 3L, randomSeed);
        List<String> failures = new ArrayList<>();
        try (TestServer started = TestServer.start(dir)) {
            server = started;
            seed();
            for (FileDescriptor file : CONTRACT) {
                for (ServiceDescriptor service : file.getServices()) {
                    for (MethodDescriptor method : service.getMethods()) {
                        String rpc = service.getFullName() + "/" + method.getName();
                        for (long seed : seeds) {
                            Random random = new Random(seed * 31 + rpc.hashCode());
                            List<byte[]> before = snapshot();
                            boolean anyAccepted = false;
                            for (int i = 0; i < CALLS_PER_SEED; i++) {
                                undefinedEnum = false;
                                Message request = message(method.getInputType(), random, 0);
                                Status status = call(rpc, request.toByteArray());
                                anyAccepted |= status.isOk();
                                if (status.isOk() && undefinedEnum) {
                                    failures.add(rpc + " seed " + seed + " call " + i + ": accepted an enum number the contract does not define"
                                            + "\n  request: " + abbreviate(request.toString()));
                                }
                                if (status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN
                                        || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                                    failures.add(rpc + " seed " + seed + " call " + i + ": " + status + "\n  request: "
                                            + abbreviate(request.toString()));
                                }
                            }
                            if (!anyAccepted && !sameBytes(before, snapshot())) {
                                failures.add(rpc + " seed " + seed + ": every call was refused, yet a read changed");
                            }
                        }
                    }
                }
            }
        }
        assertThat(failures).as("random seed " + randomSeed).isEmpty();
    }

    /** Real resources, so that some ids in the requests name something that exists. */
    private void seed() {
        var plans = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
        String plan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("fuzz").build()).getUsagePlan().getId();
        String key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setName("k").setEnabled(true).build()).getApiKey().getId();
        plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build());
        var sync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
        String pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("fuzz").build())
                .getIdentityPool().getIdentityPoolId();
        String identity = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
        String arn = server.asAdmin(LicenseServiceGrpc.newBlockingStub(server.channel())).createLicense(LicensesIT.officeLicense())
                .getLicenseArn();
        ids.addAll(List.of(plan, key, pool, identity, arn, "notes", LocalDate.now(ZoneOffset.UTC).toString()));
    }

    /** What the reads show: every listing and the usage of the seeded resources (or the error a read gets). */
    private List<byte[]> snapshot() {
        List<byte[]> reads = new ArrayList<>();
        for (java.util.function.Supplier<Message> read : reads()) {
            try {
                reads.add(read.get().toByteArray());
            } catch (StatusRuntimeException e) {
                reads.add(e.getStatus().getCode().name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return reads;
    }

    private List<java.util.function.Supplier<Message>> reads() {
        List<java.util.function.Supplier<Message>> reads = new ArrayList<>();
        var plans = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
        reads.add(() -> plans.listUsagePlans(ListUsagePlansRequest.newBuilder().setPageSize(500).build()));
        reads.add(() -> plans.listApiKeys(ListApiKeysRequest.newBuilder().setPageSize(500).build()));
        var access = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()));
        reads.add(() -> access.listDeveloperKeys(ListDeveloperKeysRequest.newBuilder().setPageSize(500).build()));
        reads.add(() -> access.listAccessKeys(ListAccessKeysRequest.newBuilder().setPageSize(500).build()));
        var sync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
        reads.add(() -> sync.listIdentityPools(ListIdentityPoolsRequest.newBuilder().setPageSize(60).build()));
        var licenses = server.asAdmin(LicenseServiceGrpc.newBlockingStub(server.channel()));
        reads.add(() -> licenses.listLicenses(ListLicensesRequest.newBuilder().setPageSize(500).build()));
        var usage = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel()));
        String today = ids.get(6);
        reads.add(() -> usage.getUsage(GetUsageRequest.newBuilder().setUsagePlanId(ids.get(0)).setStartDate(today).setEndDate(today).build()));
        reads.add(() -> usage.describeIdentityPoolUsage(DescribeIdentityPoolUsageRequest.newBuilder().setIdentityPoolId(ids.get(2)).build()));
        reads.add(() -> usage.getLicenseUsage(GetLicenseUsageRequest.newBuilder().setLicenseArn(ids.get(4)).build()));
        return reads;
    }

    private static boolean sameBytes(List<byte[]> a, List<byte[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private Message message(Descriptor type, Random random, int depth) {
        DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            if (random.nextInt(4) == 0) {
                continue; // left unset
            }
            if (field.isRepeated()) {
                int count = switch (random.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> depth == 0 && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE ? 10_000 : 20;
                    default -> 1 + random.nextInt(3);
                };
                for (int i = 0; i < count; i++) {
                    // Ten thousand elements, each small: the point is the count, not the size.
                    message.addRepeatedField(field, count == 10_000 && field.getJavaType() == FieldDescriptor.JavaType.STRING ? "s" + i
                            : value(field, random, depth));
                }
            } else {
                message.setField(field, value(field, random, depth));
            }
        }
        return message.build();
    }

    private Object value(FieldDescriptor field, Random random, int depth) {
        return switch (field.getJavaType()) {
            case STRING -> string(field, random);
            case INT -> new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt()}[random.nextInt(6)];
            case LONG -> new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 253_402_300_800L, -62_135_596_801L, random.nextLong()}[random.nextInt(8)];
            case DOUBLE -> new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e308, 5e-324, random.nextDouble() * 1e6}[random.nextInt(7)];
            case FLOAT -> new float[] {0, -1, Float.NaN, Float.MAX_VALUE}[random.nextInt(4)];
            case BOOLEAN -> random.nextBoolean();
            case BYTE_STRING -> ByteString.copyFrom(new byte[random.nextInt(64)]);
            case ENUM -> {
                if (random.nextInt(3) == 0) {
                    undefinedEnum = true;
                    yield field.getEnumType().findValueByNumberCreatingIfUnknown(new int[] {99, -1, 1 << 20}[random.nextInt(3)]);
                }
                yield field.getEnumType().getValues().get(random.nextInt(field.getEnumType().getValues().size()));
            }
            case MESSAGE -> depth >= 2 ? DynamicMessage.getDefaultInstance(field.getMessageType()) : message(field.getMessageType(), random, depth + 1);
        };
    }

    private String string(FieldDescriptor field, Random random) {
        boolean token = field.getName().endsWith("token") || field.getName().equals("position");
        return switch (random.nextInt(token ? 7 : 6)) {
            case 0 -> "";
            case 1 -> "x".repeat(1 + random.nextInt(3000)) + (random.nextBoolean() ? "" : "y".repeat(200_000));
            case 2 -> UNICODE.repeat(1 + random.nextInt(50));
            case 3 -> "\u0000\n\t" + random.nextInt();
            case 4, 5 -> ids.get(random.nextInt(ids.size()));
            default -> java.util.Base64.getUrlEncoder().encodeToString(new byte[20 + random.nextInt(200)]);
        };
    }

    private Status call(String rpc, byte[] body) {
        return dev.tally.server.testing.RawCalls.call(server.channel(), rpc, body, server.adminToken());
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }
}
