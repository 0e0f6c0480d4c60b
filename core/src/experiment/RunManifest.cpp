#include "poisonlab/core/experiment/RunManifest.h"

#include "poisonlab/core/Error.h"

#include <chrono>
#include <ctime>

namespace poisonlab::experiment {

using nlohmann::json;

std::string isoTimeNow()
{
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

json RunManifest::toJson() const
{
    json ds = json::array();
    for (const auto &d : datasets)
        ds.push_back({{"name", d.name},
                      {"format", d.format},
                      {"root", d.root},
                      {"images", d.images},
                      {"captions", d.captions},
                      {"checksum", d.checksum}});
    json out = {{"format", "poisonlab-run"},
                {"version", 1},
                {"name", name},
                {"status", status},
                {"poisonlab_version", projectVersion},
                {"libtorch_version", torchVersion},
                {"device", device},
                {"created", created},
                {"updated", updated},
                {"seed", seed},
                {"seeds", seeds},
                {"datasets", ds},
                {"extra", extra}};
    if (!error.empty())
        out["error"] = error;
    return out;
}

RunManifest RunManifest::fromJson(const json &j, const std::filesystem::path &source)
{
    if (!j.is_object() || j.value("format", "") != "poisonlab-run")
        throw Error(source, "not a PoisonLab run manifest (\"format\" is not \"poisonlab-run\")");
    RunManifest m;
    try {
        m.name = j.value("name", "");
        m.status = j.value("status", "created");
        m.projectVersion = j.value("poisonlab_version", "");
        m.torchVersion = j.value("libtorch_version", "");
        m.device = j.value("device", "");
        m.created = j.value("created", "");
        m.updated = j.value("updated", "");
        m.seed = j.value("seed", std::uint64_t(0));
        m.seeds = j.value("seeds", json::object());
        m.error = j.value("error", "");
        m.extra = j.value("extra", json::object());
        for (const auto &d : j.value("datasets", json::array()))
            m.datasets.push_back({d.at("name").get<std::string>(), d.value("format", ""), d.value("root", ""),
                                  d.value("images", 0LL), d.value("captions", 0LL), d.value("checksum", "")});
    } catch (const json::exception &e) {
        throw Error(source, std::string("malformed run manifest: ") + e.what());
    }
    return m;
}

} // namespace poisonlab::experiment
