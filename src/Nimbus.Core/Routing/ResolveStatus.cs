namespace Nimbus.Core.Routing;

public enum ResolveStatus
{
    Found,
    FunctionNotFound,
    QualifierNotFound,
    NoCode,
}
