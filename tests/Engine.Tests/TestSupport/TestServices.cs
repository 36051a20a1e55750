namespace ModelWatch.Engine.Tests.TestSupport;

/// <summary>
/// The PostgreSQL and Redis servers test.sh starts (tests/test-services.sh). A test that needs one and finds no address
/// fails with instructions, never skips: the provider tests are part of the proof.
/// </summary>
public static class TestServices
{
    public const string PostgresVariable = "MODELWATCH_TEST_POSTGRES";
    public const string RedisVariable = "MODELWATCH_TEST_REDIS";

    public static string Postgres => Require(PostgresVariable, "an Npgsql connection string of a PostgreSQL superuser");

    public static string Redis => Require(RedisVariable, "host:port of a Redis server");

    private static string Require(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: this test needs {what}. ./test.sh starts private instances and sets it; by hand, run " +
                "`source tests/test-services.sh && test_services_start` in your shell before `dotnet test` (see README, \"Tests against PostgreSQL and Redis\").");
}
