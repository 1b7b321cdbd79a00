# cfn-port-lint in a small image: a static musl binary on Alpine.
#
#   docker build -t cfn-port-lint .
#   docker run --rm -v "$PWD:/src" cfn-port-lint .
#
# The first stage builds a fully static binary (musl, mimalloc included),
# stripped: the release profile keeps line tables for profiling, which make
# the binary 26 MB instead of about 5 MB. The second stage holds only that
# binary and Alpine (about 13 MB in all). Alpine rather than scratch: CI
# systems such as GitLab run a job's `script:` with `sh` inside the image.
FROM rust:1.95-alpine AS build
# gcc and musl-dev build mimalloc's C code.
RUN apk add --no-cache gcc musl-dev
WORKDIR /build
COPY . .
ENV CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_STRIP=symbols
RUN cargo build --release --locked -p cfn-port-cli \
 && cp target/release/cfn-port-lint /cfn-port-lint

FROM alpine:3.22
COPY --from=build /cfn-port-lint /usr/local/bin/cfn-port-lint
WORKDIR /src
ENTRYPOINT ["cfn-port-lint"]
