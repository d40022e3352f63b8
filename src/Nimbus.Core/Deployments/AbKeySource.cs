namespace Nimbus.Core.Deployments;

/// <summary>Where an A/B split reads the key that keeps a caller on one variant.</summary>
public enum AbKeySource
{
    Header,
    Cookie,
    JsonPath,
}
