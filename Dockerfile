# iamlint as an image: a static musl binary on an empty base.
#   docker build -t iamlint .
#   docker run --rm -v "$PWD:/src" iamlint .          (scans the mounted folder)
# The build stage compiles with Alpine's Rust (musl, statically linked); the final image
# holds the binary, CA certificates are not needed (iamlint makes no network calls).
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY rules rules
COPY schemas schemas
# Declared in Cargo.toml: cargo wants it present, though it does not build it here.
COPY benches benches
RUN cargo build --release --locked --bin iamlint \
    && strip target/release/iamlint \
    && ./target/release/iamlint --version

FROM scratch
COPY --from=build /build/target/release/iamlint /usr/local/bin/iamlint
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/iamlint"]
CMD ["check", "."]
