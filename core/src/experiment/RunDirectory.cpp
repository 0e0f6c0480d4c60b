#include "poisonlab/core/experiment/RunDirectory.h"

#include <algorithm>

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/MetricsLog.h"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// What a run directory may hold; --force removes exactly these.
const std::vector<std::string> kRunEntries = {"run.json", "config.json", "run.log", "metrics.jsonl", "checkpoints",
                                              "results",  "poison",      "model",   "report"};

bool isEmptyDir(const fs::path &dir)
{
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

/// Only what a run directory holds (and atomic writes' temporary files): a run stopped while its
/// folder was being filled, before run.json marked it as a run directory.
bool holdsOnlyRunEntries(const fs::path &dir)
{
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const bool ours = std::any_of(kRunEntries.begin(), kRunEntries.end(), [&](const std::string &e) {
            return name == e || name.rfind(e + ".tmp-", 0) == 0;
        });
        if (!ours)
            return false;
    }
    return !ec;
}

} // namespace

RunDirectory::RunDirectory(fs::path path) : m_path(std::move(path)), m_mutex(std::make_shared<std::mutex>())
{
}

bool RunDirectory::isRunDirectory(const fs::path &dir)
{
    std::error_code ec;
    if (!fs::is_regular_file(dir / "run.json", ec))
        return false;
    try {
        const json j = readJsonFile(dir / "run.json");
        return j.is_object() && j.contains("format") && j["format"] == "poisonlab-run";
    } catch (const std::exception &) {
        return false;
    }
}

RunDirectory RunDirectory::create(const fs::path &dir, const RunManifest &manifest, bool force,
                                  const std::function<void(const RunDirectory &)> &fill)
{
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw Error(dir, "exists and is not a folder; choose another run directory");
    if (fs::exists(dir, ec) && !isEmptyDir(dir)) {
        const bool unfinished = !isRunDirectory(dir) && holdsOnlyRunEntries(dir);
        if (!isRunDirectory(dir) && !unfinished)
            throw Error(dir, "is not empty and is not a PoisonLab run directory (no run.json); refusing to write "
                             "into it, choose another --out");
        if (unfinished && !force)
            throw Error(dir, "holds a run that was stopped while its folder was being created (no run.json yet); "
                             "pass --force to start it again");
        if (!force)
            throw Error(dir, "already holds a run; nothing was changed (pass --force to replace it, or "
                             "`poisonlab-cli resume` to continue it)");
        for (const auto &entry : kRunEntries) {
            fs::remove_all(dir / entry, ec);
            if (ec)
                throw Error(dir / entry, "cannot remove it for --force: " + ec.message());
        }
    }
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(dir, "cannot create the run directory: " + ec.message());
    RunDirectory run(fs::absolute(dir).lexically_normal());
    for (const fs::path &sub : {run.checkpointsDir(), run.resultsDir()}) {
        fs::create_directories(sub, ec);
        if (ec)
            throw Error(sub, "cannot create it: " + ec.message());
    }
    if (fill)
        fill(run); // before run.json: a folder with run.json is always a whole one
    RunManifest m = manifest;
    if (m.created.empty())
        m.created = isoTimeNow();
    run.writeManifest(m);
    return run;
}

RunDirectory RunDirectory::open(const fs::path &dir)
{
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw Error(dir, "no such run directory");
    if (!fs::is_directory(dir, ec))
        throw Error(dir, "is a file, not a run directory");
    if (!fs::is_regular_file(dir / "run.json", ec))
        throw Error(dir, "is not a PoisonLab run directory (it has no run.json)");
    RunDirectory run(fs::absolute(dir).lexically_normal());
    run.manifest(); // validates run.json
    return run;
}

RunManifest RunDirectory::manifest() const
{
    return RunManifest::fromJson(readJsonFile(manifestPath()), manifestPath());
}

void RunDirectory::writeManifest(const RunManifest &manifest) const
{
    RunManifest m = manifest;
    m.updated = isoTimeNow();
    writeJsonAtomically(manifestPath(), m.toJson());
}

void RunDirectory::writeConfig(const json &config) const
{
    writeJsonAtomically(configPath(), config);
}

json RunDirectory::config() const
{
    return readJsonFile(configPath());
}

void RunDirectory::appendLine(const fs::path &file, const std::string &line) const
{
    std::lock_guard lock(*m_mutex);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(file, std::string("cannot open for appending: ") + std::strerror(errno));
    const std::string text = line + "\n";
    // One write() of the whole line: O_APPEND makes it land at the end in one piece.
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            throw Error(file, std::string("cannot append: ") + std::strerror(err));
        }
        done += static_cast<size_t>(n);
    }
    ::fdatasync(fd);
    ::close(fd);
}

void RunDirectory::appendMetrics(const json &record) const
{
    appendLine(metricsPath(), record.dump());
}

std::vector<json> RunDirectory::metrics() const
{
    return MetricsLog::read(metricsPath()).records;
}

void RunDirectory::filterMetrics(const std::function<bool(const json &)> &keep) const
{
    std::string text;
    for (const auto &record : metrics())
        if (keep(record))
            text += record.dump() + "\n";
    std::lock_guard lock(*m_mutex);
    writeFileAtomically(metricsPath(), text);
}

void RunDirectory::log(const std::string &line) const
{
    appendLine(logPath(), isoTimeNow() + " " + line);
    // Also to core's log at debug level: the log file and the workbench's log pane show it, the
    // CLI's console (info and up by default) does not repeat what its progress lines say.
    spdlog::debug("run {}: {}", m_path.filename().string(), line);
}

void RunDirectory::writeResult(const std::string &name, const json &value) const
{
    writeJsonAtomically(resultsDir() / (name + ".json"), value);
}

json RunDirectory::result(const std::string &name) const
{
    return readJsonFile(resultsDir() / (name + ".json"));
}

} // namespace poisonlab::experiment
