# syntax=docker/dockerfile:1
# Multi-stage: build with the SDK, run on the slim ASP.NET runtime as a non-root user, data on a volume.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is cached until a dependency changes.
COPY Directory.Build.props Directory.Packages.props appsettings.json ./
COPY src/Engine/Engine.csproj src/Engine/
COPY src/Portal/Portal.csproj src/Portal/
RUN dotnet restore src/Portal/Portal.csproj
COPY src/ src/
RUN dotnet publish src/Portal/Portal.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# The aspnet image ships an unprivileged 'app' user (uid 1654); the database lives on the /data volume.
RUN mkdir -p /data && chown app:app /data
COPY --from=build --chown=root:root /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__Portal="Data Source=/data/portal.db" \
    DOTNET_RUNNING_IN_CONTAINER=true
VOLUME ["/data"]
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "ModelWatch.Portal.dll"]
