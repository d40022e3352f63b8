using Microsoft.AspNetCore.Http;
using Nimbus.Core.Tracing;

namespace Nimbus.Server.Gateway;

/// <summary>The trace headers an entry point reads: W3C <c>traceparent</c>/<c>tracestate</c> and AWS's <c>X-Amzn-Trace-Id</c>.</summary>
public static class TraceHeaders
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string XRay = "X-Amzn-Trace-Id";

    public static TraceContext Continue(HttpRequest request) =>
        TraceContext.Continue(RequestValues.Header(request, TraceParent), RequestValues.Header(request, TraceState), RequestValues.Header(request, XRay));
}
