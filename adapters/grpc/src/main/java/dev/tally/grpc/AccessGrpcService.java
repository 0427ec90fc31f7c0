package dev.tally.grpc;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.access.AccessKey;
import dev.tally.domain.access.DeveloperKey;
import dev.tally.domain.access.DeveloperKeyId;
import dev.tally.domain.access.IssuedToken;
import dev.tally.domain.access.NewAccessKey;
import dev.tally.domain.access.NewDeveloperKey;
import dev.tally.domain.access.port.in.IssueIdentityTokens;
import dev.tally.domain.access.port.in.ManageAccessKeys;
import dev.tally.domain.access.port.in.ManageDeveloperKeys;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Page;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.AwsCredentials;
import dev.tally.proto.v1.CreateAccessKeyRequest;
import dev.tally.proto.v1.CreateAccessKeyResponse;
import dev.tally.proto.v1.CreateDeveloperKeyRequest;
import dev.tally.proto.v1.CreateDeveloperKeyResponse;
import dev.tally.proto.v1.DeleteAccessKeyRequest;
import dev.tally.proto.v1.DeleteAccessKeyResponse;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.IssueIdentityTokenResponse;
import dev.tally.proto.v1.RevokeIdentityTokensRequest;
import dev.tally.proto.v1.RevokeIdentityTokensResponse;
import dev.tally.proto.v1.ListAccessKeysRequest;
import dev.tally.proto.v1.ListAccessKeysResponse;
import dev.tally.proto.v1.ListDeveloperKeysRequest;
import dev.tally.proto.v1.ListDeveloperKeysResponse;
import dev.tally.proto.v1.RevokeDeveloperKeyRequest;
import dev.tally.proto.v1.RevokeDeveloperKeyResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;

/** tally.v1.AccessService over the access use cases. */
public final class AccessGrpcService extends AccessServiceGrpc.AccessServiceImplBase {

    private final ManageDeveloperKeys developerKeys;
    private final ManageAccessKeys accessKeys;
    private final IssueIdentityTokens identityTokens;

    public AccessGrpcService(ManageDeveloperKeys developerKeys, ManageAccessKeys accessKeys, IssueIdentityTokens identityTokens) {
        this.developerKeys = requireNonNull(developerKeys, "developerKeys");
        this.accessKeys = requireNonNull(accessKeys, "accessKeys");
        this.identityTokens = requireNonNull(identityTokens, "identityTokens");
    }

    @Override
    public void createAccessKey(CreateAccessKeyRequest request, StreamObserver<CreateAccessKeyResponse> observer) {
        Rpc.unary(observer, () -> {
            NewAccessKey created = accessKeys.createAccessKey(Callers.current(), request.getDescription());
            return CreateAccessKeyResponse.newBuilder()
                    .setAccessKey(toProto(created.key()))
                    .setSecretAccessKey(created.secret())
                    .build();
        });
    }

    @Override
    public void listAccessKeys(ListAccessKeysRequest request, StreamObserver<ListAccessKeysResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<AccessKey> page = accessKeys.listAccessKeys(Callers.current(), request.getPageSize(), request.getPageToken());
            ListAccessKeysResponse.Builder response = ListAccessKeysResponse.newBuilder().setNextPageToken(page.nextToken());
            page.items().forEach(key -> response.addAccessKeys(toProto(key)));
            return response.build();
        });
    }

    @Override
    public void deleteAccessKey(DeleteAccessKeyRequest request, StreamObserver<DeleteAccessKeyResponse> observer) {
        Rpc.unary(observer, () -> {
            accessKeys.deleteAccessKey(Callers.current(), request.getAccessKeyId());
            return DeleteAccessKeyResponse.getDefaultInstance();
        });
    }

    @Override
    public void createDeveloperKey(CreateDeveloperKeyRequest request, StreamObserver<CreateDeveloperKeyResponse> observer) {
        Rpc.unary(observer, () -> {
            NewDeveloperKey created = developerKeys.create(Callers.current(), request.getName());
            return CreateDeveloperKeyResponse.newBuilder()
                    .setKeyId(created.key().id().value())
                    .setToken(created.token())
                    .setCreateDate(ProtoTime.timestamp(created.key().createdAt()))
                    .build();
        });
    }

    @Override
    public void listDeveloperKeys(ListDeveloperKeysRequest request, StreamObserver<ListDeveloperKeysResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<DeveloperKey> page = developerKeys.list(Callers.current(), request.getPageSize(), request.getPageToken());
            ListDeveloperKeysResponse.Builder response = ListDeveloperKeysResponse.newBuilder().setNextPageToken(page.nextToken());
            page.items().forEach(key -> response.addDeveloperKeys(toProto(key)));
            return response.build();
        });
    }

    @Override
    public void revokeDeveloperKey(RevokeDeveloperKeyRequest request, StreamObserver<RevokeDeveloperKeyResponse> observer) {
        Rpc.unary(observer, () -> RevokeDeveloperKeyResponse.newBuilder()
                .setDeveloperKey(toProto(developerKeys.revoke(Callers.current(), new DeveloperKeyId(request.getKeyId()))))
                .build());
    }

    @Override
    public void issueIdentityToken(IssueIdentityTokenRequest request, StreamObserver<IssueIdentityTokenResponse> observer) {
        Rpc.unary(observer, () -> {
            Optional<Duration> ttl = ProtoTime.duration("ttl", ErrorReason.INVALID_PARAMETER, request.hasTtl(), request.getTtl());
            IssuedToken issued = identityTokens.issue(Callers.current(), new IdentityPoolId(request.getIdentityPoolId()),
                    new IdentityId(request.getIdentityId()), ttl);
            return IssueIdentityTokenResponse.newBuilder()
                    .setToken(issued.token())
                    .setExpiration(ProtoTime.timestamp(issued.expiresAt()))
                    .setAwsCredentials(AwsCredentials.newBuilder()
                            .setAccessKeyId(issued.credentials().accessKeyId())
                            .setSecretAccessKey(issued.credentials().secretAccessKey())
                            .setSessionToken(issued.credentials().sessionToken())
                            .setExpiration(ProtoTime.timestamp(issued.credentials().expiration())))
                    .build();
        });
    }

    @Override
    public void revokeIdentityTokens(RevokeIdentityTokensRequest request, StreamObserver<RevokeIdentityTokensResponse> observer) {
        Rpc.unary(observer, () -> RevokeIdentityTokensResponse.newBuilder()
                .setRevokedCount(identityTokens.revoke(Callers.current(), new IdentityPoolId(request.getIdentityPoolId()),
                        new IdentityId(request.getIdentityId())))
                .build());
    }

    private static dev.tally.proto.v1.AccessKey toProto(AccessKey key) {
        return dev.tally.proto.v1.AccessKey.newBuilder()
                .setAccessKeyId(key.id())
                .setDescription(key.description())
                .setDeveloperKeyId(key.developerKey().value())
                .setCreateDate(ProtoTime.timestamp(key.createdAt()))
                .build();
    }

    private static dev.tally.proto.v1.DeveloperKey toProto(DeveloperKey key) {
        dev.tally.proto.v1.DeveloperKey.Builder proto = dev.tally.proto.v1.DeveloperKey.newBuilder()
                .setKeyId(key.id().value())
                .setName(key.name())
                .setCreateDate(ProtoTime.timestamp(key.createdAt()));
        key.revokedAt().ifPresent(revoked -> proto.setRevokeDate(ProtoTime.timestamp(revoked)));
        return proto.build();
    }
}
