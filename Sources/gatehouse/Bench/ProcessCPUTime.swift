import Foundation

/// CPU time a process has used, user plus system, in seconds: another process's from
/// `/proc/<pid>/stat` (clock ticks), this process's from `getrusage` (microseconds).
enum ProcessCPUTime {
    /// `utime + stime` of `pid`. The process name (field 2) may hold spaces and parentheses, so the
    /// fields are counted from the last `)`: state is the first after it, utime the 12th, stime the 13th.
    static func seconds(pid: Int32) throws -> Double {
        let path = "/proc/\(pid)/stat"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let close = text.lastIndex(of: ")") else {
            throw CommandLineFailure.invalidData("cannot read \(path)")
        }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw CommandLineFailure.invalidData("\(path) has no utime and stime")
        }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) / max(ticksPerSecond, 1)
    }

    /// CPU seconds the whole machine has been busy (every process, all cores), from the first line of
    /// `/proc/stat`: what the benchmark's two processes did not use was other work on the machine.
    static func machineBusySeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = text.split(separator: "\n").first else { return 0 }
        // cpu  user nice system idle iowait irq softirq steal ...
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return 0 }
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / max(Double(sysconf(Int32(_SC_CLK_TCK))), 1)
    }

    /// This process's CPU time, all threads.
    static func current() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
