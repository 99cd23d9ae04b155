# Build: docker build -t crimegraph .   Run: docker run -p 7878:7878 -v cg:/data crimegraph
FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libclang-dev clang && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY benches benches
COPY ontology ontology
COPY queries queries
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN useradd --system --home /data crimegraph && mkdir -p /data && chown crimegraph /data
COPY --from=build /src/target/release/crimegraph /usr/local/bin/crimegraph
COPY queries /usr/share/crimegraph/queries
USER crimegraph
ENV CRIMEGRAPH_DATA=/data/store
VOLUME /data
EXPOSE 7878
ENTRYPOINT ["crimegraph"]
CMD ["serve", "--bind", "0.0.0.0:7878"]
