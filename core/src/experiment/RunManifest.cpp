#include "poisonlab/core/experiment/RunManifest.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/JsonFields.h"

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
    if (!j.is_object() || !j.contains("format") || j["format"] != "poisonlab-run")
        throw Error(source, "not a PoisonLab run manifest (\"format\" is not \"poisonlab-run\")");
    const JsonFields in(j, source);
    RunManifest m;
    m.name = in.text("name");
    m.status = in.text("status", "created");
    m.projectVersion = in.text("poisonlab_version");
    m.torchVersion = in.text("libtorch_version");
    m.device = in.text("device");
    m.created = in.text("created");
    m.updated = in.text("updated");
    m.seed = in.unsignedInteger("seed", 0);
    m.seeds = in.object("seeds");
    m.error = in.text("error");
    m.extra = in.object("extra");
    for (std::size_t i = 0; i < in.list("datasets").size(); ++i) {
        const JsonFields d = in.item("datasets", i);
        m.datasets.push_back({d.needText("name"), d.text("format"), d.text("root"), d.integer("images", 0, 0),
                              d.integer("captions", 0, 0), d.text("checksum")});
    }
    return m;
}

} // namespace poisonlab::experiment
