# syntax=docker/dockerfile:1
# Multi-stage: build with the SDK, run on the slim ASP.NET runtime as a non-root user, data on a volume.
# tests/Portal.Tests/Security/ContainerBuildTests replays the build stage's COPY/RUN lines and starts the result.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore must see the whole source, not only the .csproj files: the SDK adds the package that supplies
# _framework/blazor.web.js only when it finds the project's .razor components, and publish runs --no-restore.
COPY Directory.Build.props Directory.Packages.props appsettings.json ./
COPY src/ src/
RUN dotnet restore src/Portal/Portal.csproj
RUN dotnet publish src/Portal/Portal.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# 1654 is the unprivileged 'app' user of the .NET images; the database and the Data Protection keys live on /data.
RUN mkdir -p /data/keys && chown -R 1654:1654 /data
COPY --from=build --chown=root:root /app .
# The demo (published demo users and password) is off unless asked for: -e Portal__Demo__Enabled=true.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__Portal="Data Source=/data/portal.db" \
    Portal__DataProtection__KeysPath=/data/keys \
    Portal__Demo__Enabled=false \
    DOTNET_RUNNING_IN_CONTAINER=true
VOLUME ["/data"]
EXPOSE 8080
USER 1654
# The runtime image has neither curl nor wget: the portal itself asks its own /healthz/ready.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["dotnet", "ModelWatch.Portal.dll", "--health-check"]
ENTRYPOINT ["dotnet", "ModelWatch.Portal.dll"]
