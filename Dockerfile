# slipway in a container. Build: docker build -t slipway .
# Run:   docker run --rm -p 4566:4566 -v "$PWD:/pipeline" -w /pipeline slipway
# Inside the container the daemon binds 0.0.0.0 so the published port reaches it.

FROM debian:12 AS build
WORKDIR /src
COPY scripts/setup scripts/setup
RUN scripts/setup --build-only && rm -rf /var/lib/apt/lists/*
COPY . .
RUN SLIPWAY_BUILD_DIR=/build scripts/build -DSLIPWAY_TESTS=OFF

FROM debian:12-slim
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libuv1 libcpp-httplib0.11 libsqlite3-0 libssl3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/slipway /build/slipway-cgexec /usr/local/bin/
EXPOSE 4566
VOLUME /pipeline
WORKDIR /pipeline
ENTRYPOINT ["slipway"]
CMD ["serve", "--host", "0.0.0.0", "--data-dir", "/pipeline/.slipway"]
