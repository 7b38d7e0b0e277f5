# orchlint as a container image: one static binary (Rust on musl links
# statically) on an empty base.
#
#   docker build -t orchlint .
#   docker run --rm -v "$PWD:/src" orchlint check .
#
# The image has no shell and no git: `--changed-since` needs git, so use the
# binary from a release archive or the wheel where that option is wanted.

FROM rust:1.95-alpine AS build
# mimalloc compiles C: the C compiler and musl's headers.
# hadolint ignore=DL3018
RUN apk add --no-cache gcc musl-dev
WORKDIR /build
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY rules rules
COPY tests tests
# The release profile strips the binary.
RUN cargo build --release --locked --bin orchlint \
    && target/release/orchlint --version

FROM scratch
COPY --from=build /build/target/release/orchlint /orchlint
WORKDIR /src
ENTRYPOINT ["/orchlint"]
CMD ["check", "."]
