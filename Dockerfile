# syntax=docker/dockerfile:1
# Onboard's images, built from the workspace (docker build needs BuildKit, the default
# since Docker 23):
#
#   docker build -t onboard .                            # the orchestrator: `onboard serve`
#   docker build --target sandbox -t onboard-sandbox .   # DEV ONLY: the simulated parties
#
# The orchestrator is built without the cargo feature `sandbox`, so its image cannot serve
# the sandbox's personal data or fault injection. config/default.toml is compiled into the
# binary; the keys and the callers come from mounted Secrets (k8s/README.md).

ARG RUST_VERSION=1.95
# glibc and libgcc, CA certificates, no shell; the user `nonroot` is 65532.
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

FROM rust:${RUST_VERSION}-slim-bookworm AS build
WORKDIR /src
COPY . .
# The registry and the target directory are cache mounts, kept between builds; the binary
# is copied out of the target directory, which is not part of the image, without the
# debug info the release profile keeps for profiling (110 of its 133 MB). Its symbols
# stay, so a backtrace still names the functions.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p onboard-api --no-default-features \
    && mkdir -p /out/data \
    && objcopy --strip-debug target/release/onboard /out/onboard

# The same binary with the sandbox, for the dev overlay's parties only.
FROM build AS build-sandbox
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p onboard-api \
    && objcopy --strip-debug target/release/onboard /out/onboard-sandbox

# DEV ONLY: `onboard sandbox`, the simulated bank and wallet on port 8081.
FROM ${RUNTIME_IMAGE} AS sandbox
COPY --from=build-sandbox /out/onboard-sandbox /usr/local/bin/onboard
COPY --from=build --chown=65532:65532 /out/data /var/lib/onboard
USER 65532:65532
ENV ONBOARD_LISTEN=0.0.0.0:8081 \
    ONBOARD_DATA_DIR=/var/lib/onboard
EXPOSE 8081
ENTRYPOINT ["/usr/local/bin/onboard", "sandbox"]

# The orchestrator (the default target).
FROM ${RUNTIME_IMAGE} AS runtime
COPY --from=build /out/onboard /usr/local/bin/onboard
# The embedded store's directory, for a single container without Redis.
COPY --from=build --chown=65532:65532 /out/data /var/lib/onboard
USER 65532:65532
# A container listens on every interface, and a production build has no sandbox: the
# parties are at ONBOARD_SANDBOX__URL.
ENV ONBOARD_LISTEN=0.0.0.0:8080 \
    ONBOARD_DATA_DIR=/var/lib/onboard \
    ONBOARD_SANDBOX__ENABLED=false
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/onboard", "serve"]
