namespace ModelWatch.Engine.Registry;

public sealed record Team(string Id, string Name, DateTimeOffset CreatedAt);
