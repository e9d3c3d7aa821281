using System.Diagnostics;
using Microsoft.Extensions.Configuration;

/// <summary>
/// Decides whether the infrastructure (PostgreSQL, RabbitMQ) runs in containers or as local executables.
/// Config <c>UseContainers</c> (true/false) wins; otherwise containers are used only when
/// <c>docker info</c> succeeds quickly (a CLI without a running engine fails in ~0.03 s).
/// </summary>
internal static class InfrastructureMode
{
    public static bool UseContainers(IConfiguration configuration)
    {
        var configured = configuration["UseContainers"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return bool.Parse(configured);
        }

        return ContainerRuntimeIsHealthy();
    }

    private static bool ContainerRuntimeIsHealthy()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (docker is null)
            {
                return false;
            }

            // Drain the pipes so the child never blocks on a full buffer.
            _ = docker.StandardOutput.ReadToEndAsync();
            _ = docker.StandardError.ReadToEndAsync();
            if (!docker.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                docker.Kill(entireProcessTree: true);
                return false;
            }

            return docker.ExitCode == 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false; // no docker CLI at all
        }
    }
}
