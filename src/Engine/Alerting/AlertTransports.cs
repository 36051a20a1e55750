using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ModelWatch.Engine.Alerting;

/// <summary>The answer of one delivery attempt, kept in the delivery log.</summary>
public sealed record TransportAnswer(bool Ok, string Answer);

/// <summary>Sends one outbox row. Webhooks POST the stored v4 body; email goes over SMTP; the built-in receiver keeps it in the portal.</summary>
public sealed class AlertTransports(HttpClient http, IOptions<AlertingOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<TransportAnswer> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            return delivery.Kind switch
            {
                Receiver.Webhook => await WebhookAsync(delivery, cancellationToken),
                Receiver.Email => await EmailAsync(delivery, cancellationToken),
                _ => new TransportAnswer(true, "kept in the portal (built-in receiver)"),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TransportAnswer(false, $"no answer within {options.Value.DeliveryTimeoutSeconds} s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SmtpCommandException or SmtpProtocolException or System.Net.Sockets.SocketException or AuthenticationException or SslHandshakeException)
        {
            return new TransportAnswer(false, e.Message);
        }
    }

    private async Task<TransportAnswer> WebhookAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.DeliveryTimeoutSeconds));
        using var content = new StringContent(delivery.Payload, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(delivery.Target, content, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        var answer = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(body.Length > 0 ? ": " + (body.Length > 300 ? body[..300] + "…" : body) : "")}";
        return new TransportAnswer(response.IsSuccessStatusCode, answer);
    }

    private async Task<TransportAnswer> EmailAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host)) return new TransportAnswer(false, "no SMTP server configured: set Portal:Alerting:Smtp:Host (and Port, From)");
        var email = JsonSerializer.Deserialize<EmailMessage>(delivery.Payload, Json)!;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        foreach (var to in email.To) message.To.Add(MailboxAddress.Parse(to));
        message.Subject = email.Subject;
        message.Body = new TextPart("plain") { Text = email.Body };
        using var client = new SmtpClient { Timeout = options.Value.DeliveryTimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        var answer = await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
        return new TransportAnswer(true, $"SMTP accepted: {answer}");
    }
}
