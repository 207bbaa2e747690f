# A small image of abduce with the shard and merge scripts of deploy/ (docs/scaling.md).
#   docker build -t abduce:0.1.0 .
#   docker run --rm -v "$PWD:/work" abduce:0.1.0 report --format html -o report.html
FROM rust:1.89-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY benches benches
COPY hypotheses hypotheses
COPY evidence evidence
RUN cargo build --release --locked --bin abduce \
    && strip target/release/abduce

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /work --shell /usr/sbin/nologin abduce \
    && mkdir /work && chown abduce /work
COPY --from=build /src/target/release/abduce /usr/local/bin/abduce
COPY deploy/abduce-shard deploy/abduce-merge /usr/local/bin/
USER 10001
WORKDIR /work
ENTRYPOINT ["abduce"]
CMD ["--help"]
