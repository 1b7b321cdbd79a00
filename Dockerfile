# cfn-port-lint in a small image: a static musl binary on Alpine.
#
#   docker build -t cfn-port-lint .
#   docker run --rm -v "$PWD:/src" cfn-port-lint .
#
# The first stage builds a fully static binary (musl, mimalloc included); the
# second holds only that binary and Alpine's busybox, about 10 MB. Alpine
# rather than scratch: CI systems such as GitLab run a job's `script:` with
# `sh` inside the image.
FROM rust:1.88-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY . .
RUN cargo build --release --locked -p cfn-port-cli \
 && cp target/release/cfn-port-lint /cfn-port-lint

FROM alpine:3.22
COPY --from=build /cfn-port-lint /usr/local/bin/cfn-port-lint
WORKDIR /src
ENTRYPOINT ["cfn-port-lint"]
