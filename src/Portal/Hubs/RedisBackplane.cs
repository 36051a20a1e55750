using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace ModelWatch.Portal.Hubs;

/// <summary>
/// When ConnectionStrings:Redis is set, hub messages travel through Redis, so a message sent to a group or a user on one
/// portal node reaches the clients connected to every node (several nodes behind one proxy, issue 13).
/// </summary>
public static class RedisBackplane
{
    public const string ChannelPrefix = "modelwatch";

    public static ISignalRServerBuilder AddRedisBackplane(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis)) return signalR;
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ConnectionStrings:Redis is not a StackExchange.Redis configuration string (e.g. \"redis:6379,password=...\"): {e.Message}", e);
        }
        return signalR.AddStackExchangeRedis(o =>
        {
            o.Configuration = options;
            // One Redis may serve other applications: every channel of ours starts with this prefix.
            o.Configuration.ChannelPrefix = RedisChannel.Literal(ChannelPrefix);
        });
    }
}
