// The platform's types a connector script compiles against, as small as the platform documents them
// (learn.microsoft.com, "Write code in a custom connector"): ScriptBase, IScriptContext and an ILogger.
// C# 7 at most: Debian's mcs compiles this together with the script and ScriptRunner.cs.
using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

public interface IScriptContext
{
    string CorrelationId { get; }
    string OperationId { get; }
    HttpRequestMessage Request { get; }
    ILogger Logger { get; }
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}

public abstract class ScriptBase
{
    public IScriptContext Context { get; set; }
    public CancellationToken CancellationToken { get; set; }

    public static StringContent CreateJsonContent(string serializedJson)
    {
        return new StringContent(serializedJson, Encoding.UTF8, "application/json");
    }

    public abstract Task<HttpResponseMessage> ExecuteAsync();
}

namespace Microsoft.Extensions.Logging
{
    public enum LogLevel { Trace = 0, Debug = 1, Information = 2, Warning = 3, Error = 4, Critical = 5, None = 6 }

    public struct EventId
    {
        public EventId(int id, string name = null) { Id = id; Name = name; }
        public int Id { get; private set; }
        public string Name { get; private set; }
        public static implicit operator EventId(int id) { return new EventId(id); }
    }

    public interface ILogger
    {
        void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception,
                         Func<TState, Exception, string> formatter);
        bool IsEnabled(LogLevel logLevel);
        IDisposable BeginScope<TState>(TState state);
    }

    public static class LoggerExtensions
    {
        // Message templates name their placeholders ("{Id}"); they are filled by position, as the real one does.
        static string Format(string message, object[] args)
        {
            if (message == null || args == null || args.Length == 0) return message;
            var sb = new StringBuilder();
            int next = 0;
            for (int i = 0; i < message.Length; i++)
            {
                char c = message[i];
                if (c == '{' && i + 1 < message.Length && message[i + 1] == '{') { sb.Append('{'); i++; continue; }
                if (c == '}' && i + 1 < message.Length && message[i + 1] == '}') { sb.Append('}'); i++; continue; }
                int close = c == '{' ? message.IndexOf('}', i) : -1;
                if (close > i && next < args.Length)
                {
                    sb.Append(Convert.ToString(args[next++], System.Globalization.CultureInfo.InvariantCulture));
                    i = close;
                    continue;
                }
                sb.Append(c);
            }
            return sb.ToString();
        }

        static void Write(ILogger logger, LogLevel level, Exception exception, string message, object[] args)
        {
            string text = Format(message, args);
            logger.Log(level, new EventId(0), text, exception, (s, e) => e == null ? s : s + " " + e.Message);
        }

        public static void Log(this ILogger logger, LogLevel level, string message, params object[] args) { Write(logger, level, null, message, args); }
        public static void Log(this ILogger logger, LogLevel level, Exception exception, string message, params object[] args) { Write(logger, level, exception, message, args); }
        public static void LogTrace(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Trace, null, message, args); }
        public static void LogDebug(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Debug, null, message, args); }
        public static void LogInformation(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Information, null, message, args); }
        public static void LogWarning(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Warning, null, message, args); }
        public static void LogError(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Error, null, message, args); }
        public static void LogCritical(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Critical, null, message, args); }
        public static void LogWarning(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Warning, exception, message, args); }
        public static void LogError(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Error, exception, message, args); }
        public static void LogCritical(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Critical, exception, message, args); }
    }
}
