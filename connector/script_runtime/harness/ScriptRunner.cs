// Runs a connector's Script the way the platform does, for connector.script_runtime.ScriptHost (Python).
// Protocol: one JSON object per line on stdin (a request to run), one JSON object per line on stdout (its
// outcome). The script's own console output goes to stderr. Context.SendAsync either forwards the request
// to the real server its URL names, or answers with the canned responses the caller gave ("upstream").
// C# 7 at most (Debian's mcs).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

public sealed class RecordingLogger : ILogger
{
    public readonly JArray Entries = new JArray();

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception,
                            Func<TState, Exception, string> formatter)
    {
        string text = formatter != null ? formatter(state, exception) : Convert.ToString(state);
        lock (Entries) Entries.Add(new JObject { { "level", logLevel.ToString() }, { "message", text } });
    }

    public bool IsEnabled(LogLevel logLevel) { return logLevel != LogLevel.None; }

    public IDisposable BeginScope<TState>(TState state) { return new Scope(); }

    sealed class Scope : IDisposable { public void Dispose() { } }
}

public sealed class RunnerContext : IScriptContext
{
    readonly Queue<JObject> canned;
    readonly bool useCanned;
    public readonly JArray Forwarded = new JArray();
    readonly RecordingLogger logger = new RecordingLogger();

    public RunnerContext(string correlationId, string operationId, HttpRequestMessage request, JArray upstream)
    {
        CorrelationId = correlationId;
        OperationId = operationId;
        Request = request;
        useCanned = upstream != null;
        canned = new Queue<JObject>(upstream == null ? new JObject[0] : upstream.Cast<JObject>());
    }

    public string CorrelationId { get; private set; }
    public string OperationId { get; private set; }
    public HttpRequestMessage Request { get; private set; }
    public ILogger Logger { get { return logger; } }
    public JArray Logs { get { return logger.Entries; } }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Forwarded.Add(await Protocol.DescribeRequest(request).ConfigureAwait(false));
        if (!useCanned)
        {
            // A connection of its own per request: a pooled one that the server closed after its last answer
            // (an HTTP/1.0 server does) would fail now and then. The answer is read in full before disposal.
            var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false };
            using (var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan })
            {
                return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)
                                   .ConfigureAwait(false);
            }
        }
        if (canned.Count == 0)
            throw new InvalidOperationException("the script called SendAsync more often than the test gave canned responses");
        HttpResponseMessage response = Protocol.ToResponse(canned.Dequeue());
        response.RequestMessage = request;
        return response;
    }
}

public static class Protocol
{
    static readonly HashSet<string> Computed = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Host",
    };

    static byte[] Bytes(JToken body)
    {
        return body == null || body.Type == JTokenType.Null ? null : Convert.FromBase64String((string)body);
    }

    static void SetHeaders(JToken headers, System.Net.Http.Headers.HttpHeaders target, Func<HttpContent> content)
    {
        if (headers == null || headers.Type == JTokenType.Null) return;
        foreach (JArray pair in headers)
        {
            string name = (string)pair[0], value = (string)pair[1];
            if (Computed.Contains(name)) continue;
            if (!target.TryAddWithoutValidation(name, value))
                content().Headers.TryAddWithoutValidation(name, value);
        }
    }

    public static HttpRequestMessage ToRequest(JObject json)
    {
        var request = new HttpRequestMessage(new HttpMethod((string)json["method"]), new Uri((string)json["url"]));
        byte[] body = Bytes(json["body"]);
        if (body != null) request.Content = new ByteArrayContent(body);
        SetHeaders(json["headers"], request.Headers, () => request.Content ?? (request.Content = new ByteArrayContent(new byte[0])));
        return request;
    }

    public static HttpResponseMessage ToResponse(JObject json)
    {
        var response = new HttpResponseMessage((HttpStatusCode)(int)json["status"]);
        if (json["reason"] != null && json["reason"].Type == JTokenType.String) response.ReasonPhrase = (string)json["reason"];
        response.Content = new ByteArrayContent(Bytes(json["body"]) ?? new byte[0]);
        SetHeaders(json["headers"], response.Headers, () => response.Content);
        return response;
    }

    static JArray Headers(System.Net.Http.Headers.HttpHeaders first, System.Net.Http.Headers.HttpHeaders second)
    {
        var list = new JArray();
        foreach (var headers in new[] { first, second })
        {
            if (headers == null) continue;
            foreach (var header in headers)
                foreach (string value in header.Value)
                    list.Add(new JArray(header.Key, value));
        }
        return list;
    }

    public static async Task<JObject> DescribeRequest(HttpRequestMessage request)
    {
        byte[] body = request.Content == null ? null : await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return new JObject
        {
            { "method", request.Method.Method },
            { "url", request.RequestUri.AbsoluteUri },
            { "headers", Headers(request.Headers, request.Content == null ? null : request.Content.Headers) },
            { "body", body == null ? JValue.CreateNull() : new JValue(Convert.ToBase64String(body)) },
        };
    }

    public static async Task<JObject> DescribeResponse(HttpResponseMessage response)
    {
        byte[] body = response.Content == null ? new byte[0] : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return new JObject
        {
            { "status", (int)response.StatusCode },
            { "reason", response.ReasonPhrase },
            { "headers", Headers(response.Headers, response.Content == null ? null : response.Content.Headers) },
            { "body", Convert.ToBase64String(body) },
        };
    }
}

public static class ScriptRunner
{
    static JObject Run(JObject job)
    {
        var result = new JObject { { "id", job["id"] } };
        var clock = Stopwatch.StartNew();
        RunnerContext context = null;
        var cancel = new CancellationTokenSource();
        try
        {
            HttpRequestMessage request = Protocol.ToRequest((JObject)job["request"]);
            JToken upstream = job["upstream"];
            context = new RunnerContext((string)job["correlationId"], (string)job["operationId"], request,
                                        upstream == null || upstream.Type == JTokenType.Null ? null : (JArray)upstream);
            var script = new Script { Context = context, CancellationToken = cancel.Token };
            int timeout = job["timeoutMs"] == null ? 5000 : (int)job["timeoutMs"];
            Task<JObject> run = Task.Run(async () =>
            {
                HttpResponseMessage response = await script.ExecuteAsync().ConfigureAwait(false);
                if (response == null) throw new InvalidOperationException("ExecuteAsync returned no response (null)");
                return await Protocol.DescribeResponse(response).ConfigureAwait(false);
            });
            if (!run.Wait(timeout))
            {
                cancel.Cancel();
                result["error"] = "timeout";
                result["message"] = "the script did not finish within " + timeout + " ms";
            }
            else
            {
                result["response"] = run.Result;
            }
        }
        catch (Exception exc)
        {
            Exception inner = exc is AggregateException ? ((AggregateException)exc).Flatten().InnerException : exc;
            result["error"] = inner.GetType().FullName;
            result["message"] = inner.Message;
            result["trace"] = inner.ToString();
        }
        result["forwarded"] = context == null ? new JArray() : context.Forwarded;
        result["logs"] = context == null ? new JArray() : context.Logs;
        result["elapsedMs"] = clock.Elapsed.TotalMilliseconds;
        return result;
    }

    public static int Main(string[] args)
    {
        var utf8 = new UTF8Encoding(false);
        var output = new StreamWriter(Console.OpenStandardOutput(), utf8) { AutoFlush = true, NewLine = "\n" };
        Console.SetOut(Console.Error);  // whatever the script prints must not break the protocol
        var input = new StreamReader(Console.OpenStandardInput(), utf8);
        var settings = new JsonSerializerSettings { DateParseHandling = DateParseHandling.None };
        output.WriteLine(new JObject { { "ready", true } }.ToString(Formatting.None));
        string line;
        while ((line = input.ReadLine()) != null)
        {
            if (line.Length == 0) continue;
            JObject job;
            try { job = JsonConvert.DeserializeObject<JObject>(line, settings); }
            catch (Exception exc)
            {
                output.WriteLine(new JObject { { "error", "protocol" }, { "message", exc.Message } }.ToString(Formatting.None));
                continue;
            }
            output.WriteLine(Run(job).ToString(Formatting.None));
        }
        return 0;
    }
}
