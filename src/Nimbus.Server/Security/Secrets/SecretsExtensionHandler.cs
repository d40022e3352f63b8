using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nimbus.Core.Functions;
using Nimbus.Core.Security.Policy;
using Nimbus.Core.Security.Secrets;
using Nimbus.Server.Hosting;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Security.Secrets;

/// <summary>
/// <c>GET /secretsmanager/get?secretId=NAME</c> on an instance's runtime port: the HTTP interface of AWS's Parameters
/// and Secrets Lambda extension, answering Secrets Manager's GetSecretValue JSON. The port identifies the instance (and
/// so the function and version whose policy decides); the <c>X-Aws-Parameters-Secrets-Token</c> header must be the
/// instance's <c>AWS_SESSION_TOKEN</c>. A value read here is masked in the instance's output from then on.
/// </summary>
public sealed class SecretsExtensionHandler
{
    public const string Path = "/secretsmanager/get";
    public const string TokenHeader = "X-Aws-Parameters-Secrets-Token";

    private readonly SecretVault _vault;
    private readonly IAccessGate _gate;
    private readonly string _region;

    public SecretsExtensionHandler(SecretVault vault, IAccessGate gate, NimbusServerOptions options)
    {
        _vault = vault;
        _gate = gate;
        _region = options.Region;
    }

    public static string ArnFor(string region, string name) => $"arn:aws:secretsmanager:{region}:{FunctionArn.AccountId}:secret:{name}";

    public async Task HandleAsync(HttpContext context, Instance instance)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method))
        {
            await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "InvalidRequestException", $"{Path} answers GET only").ConfigureAwait(false);
            return;
        }

        var token = request.Headers[TokenHeader].ToString();
        if (!FixedTimeEquals(token, instance.SecretsToken))
        {
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "UnrecognizedClientException",
                $"the {TokenHeader} header must be this instance's AWS_SESSION_TOKEN").ConfigureAwait(false);
            return;
        }

        var secretId = request.Query["secretId"].ToString();
        if (SecretNames.Check(secretId) is { } nameError)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterException", $"secretId {nameError}").ConfigureAwait(false);
            return;
        }

        var target = instance.Target;
        var decision = await _gate.CheckAsync(target.FunctionName, target.Version, target.Config.Policy, PolicyActions.SecretRead, secretId, context.RequestAborted).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "AccessDeniedException", decision.DeniedMessage(target.FunctionName)).ConfigureAwait(false);
            return;
        }

        SecretValue? secret;
        try
        {
            secret = await _vault.ReadAsync(secretId, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SecretVaultException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "InternalServiceError", ex.Message).ConfigureAwait(false);
            return;
        }

        var versionId = request.Query["versionId"].ToString();
        var stage = request.Query["versionStage"].ToString();
        if (secret is null || (versionId.Length > 0 && versionId != secret.VersionId) || (stage.Length > 0 && stage != "AWSCURRENT"))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "ResourceNotFoundException",
                "Secrets Manager can't find the specified secret" + (secret is null ? "." : " value for the given version.")).ConfigureAwait(false);
            return;
        }

        instance.AddSecretValue(secret.Value);
        await WriteSecretAsync(context, secret).ConfigureAwait(false);
    }

    private async Task WriteSecretAsync(HttpContext context, SecretValue secret)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 + secret.Value.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("ARN", ArnFor(_region, secret.Name));
            writer.WriteNumber("CreatedDate", secret.CreatedAt.ToUnixTimeMilliseconds() / 1000.0);
            writer.WriteString("Name", secret.Name);
            writer.WriteNull("SecretBinary");
            writer.WriteString("SecretString", secret.Value);
            writer.WriteString("VersionId", secret.VersionId);
            writer.WriteStartArray("VersionStages");
            writer.WriteStringValue("AWSCURRENT");
            writer.WriteEndArray();
            writer.WriteStartObject("ResultMetadata");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("__type", type);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
