// libFuzzer target: the experiment config reader (core experiment::ExperimentConfig::load), on
// arbitrary bytes as experiment.json with ${data} and ${out} given as variables, an attack, a
// defense and a dataset-format plugin.json of its own to name (read for their parameters, never
// loaded). Reading must give a config or a poisonlab::Error naming the file — never a crash,
// another exception type or unbounded memory — and a config read back from its toJson() must be
// the same config (ExperimentConfig.h promises it).
#include "FuzzInput.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

namespace {
namespace fs = std::filesystem;
using poisonlab::experiment::ExperimentConfig;

[[noreturn]] void broken(const std::string &what)
{
    std::fprintf(stderr, "experiment config fuzz check failed: %s\n", what.c_str());
    std::abort();
}

void writeText(const fs::path &file, const std::string &text)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

// Plugins as the registry finds them (plugin.json and a library file beside it), before its
// first scan reads POISONLAB_PLUGIN_PATH.
void makePlugins()
{
    const fs::path dir = poisonlab::fuzz::inputFile("-plugins");
    const auto plugin = [&](const std::string &id, const std::string &kind, const std::string &parameters) {
        writeText(dir / id / "plugin.json", R"({"id": ")" + id + R"(", "kind": ")" + kind +
                                                R"(", "apiVersion": 2, "library": "lib.so", "parameters": )" +
                                                parameters + "}");
        writeText(dir / id / "lib.so", "");
    };
    plugin("attack-single-target-label", "attack",
           R"([{"name": "source", "type": "string", "required": true}, {"name": "target", "type": "string"},
               {"name": "rate", "type": "number", "min": 0, "max": 1}, {"name": "unit", "type": "choice",
               "choices": ["caption", "image"]}])");
    plugin("defense-distance-filter", "defense", R"([{"name": "threshold", "type": "object"}])");
    plugin("pascal-sentences", "dataset-format", "[]");
    ::setenv("POISONLAB_PLUGIN_PATH", dir.c_str(), 1);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const bool ready = [] {
        makePlugins();
        spdlog::set_level(spdlog::level::off); // the paper keys' warnings, per input
        return true;
    }();
    (void)ready;
    const auto &file = poisonlab::fuzz::writeInput(data, size, "-experiment.json");
    const std::map<std::string, std::string> vars = {{"data", "/srv/data"}, {"out", "runs"}};
    try {
        const ExperimentConfig config = ExperimentConfig::load(file, vars);
        const nlohmann::json resolved = config.toJson();
        nlohmann::json again;
        try {
            again = ExperimentConfig::fromJson(resolved, file, vars).toJson();
        } catch (const poisonlab::Error &e) {
            broken(std::string("its toJson() does not read back: ") + e.what() + "\n" + resolved.dump());
        }
        if (again != resolved)
            broken("read back from toJson() it differs:\n" + resolved.dump() + "\n" + again.dump());
    } catch (const poisonlab::Error &e) {
        if (e.file().empty())
            broken(std::string("a poisonlab::Error that names no file: ") + e.what());
    }
    return 0;
}
