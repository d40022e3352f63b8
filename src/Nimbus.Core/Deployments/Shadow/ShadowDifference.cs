using System.Text.Json.Serialization;

namespace Nimbus.Core.Deployments.Shadow;

/// <summary>How a shadow copy's result compared with the live call's, the first difference found in this order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ShadowDifference>))]
public enum ShadowDifference
{
    Same,

    /// <summary>One succeeded and the other failed, or they failed differently (timeout against function error, say).</summary>
    OutcomeDiffers,

    /// <summary>Both failed as function errors, with different error types.</summary>
    ErrorTypeDiffers,

    /// <summary>Same outcome (and error type), different response body (JSON compared by meaning).</summary>
    BodyDiffers,
}
