namespace Nimbus.Core.Functions;

/// <summary>
/// The <c>FunctionName</c> of Lambda's API: <c>name</c>, <c>name:qualifier</c>, a partial ARN
/// (<c>ACCOUNT:function:name[:qualifier]</c>) or a full ARN (<c>arn:aws:lambda:REGION:ACCOUNT:function:name[:qualifier]</c>).
/// </summary>
/// <remarks>
/// Nimbus has one account and one region, so the ARN's partition, region and account are not compared: an ARN
/// copied from elsewhere finds the function of the same name here.
/// </remarks>
public static class LambdaFunctionName
{
    /// <returns>False with <paramref name="error"/> when the text has none of the accepted shapes.</returns>
    public static bool TryParse(string text, out string name, out string? qualifier, out string error)
    {
        var parts = text.Split(':');
        (string Name, string? Qualifier)? parsed = parts switch
        {
            ["arn", _, "lambda", _, _, "function", var n] => (n, null),
            ["arn", _, "lambda", _, _, "function", var n, var q] => (n, q),
            [_, "function", var n] => (n, null),
            [_, "function", var n, var q] => (n, q),
            [var n] => (n, null),
            [var n, var q] => (n, q),
            _ => null,
        };

        if (parsed is not { } found || found.Name.Length == 0 || found.Qualifier is "")
        {
            name = "";
            qualifier = null;
            error = $"Function name '{text}' is not valid: expected NAME, NAME:QUALIFIER, ACCOUNT:function:NAME[:QUALIFIER] " +
                "or arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].";
            return false;
        }

        (name, qualifier, error) = (found.Name, found.Qualifier, "");
        return true;
    }
}
