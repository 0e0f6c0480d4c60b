// `poisonlab-cli sweep-status SWEEP_DIR [--json] [--k K]`: every cell's state and headline metrics.
#include "CliParsing.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/SweepStatus.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace poisonlab::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string number(double v, const char *format)
{
    if (std::isnan(v))
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

json cellJson(const experiment::SweepCellStatus &s)
{
    json j = {{"cell", s.cell.name},
              {"state", s.state},
              {"overrides", s.cell.overrides},
              {"run_dir", s.cell.runDir.generic_string()},
              {"has_checkpoint", s.hasCheckpoint},
              {"evaluation", s.final ? s.final->toJson() : json()}};
    if (!s.error.empty())
        j["error"] = s.error;
    return j;
}

void printTable(const std::vector<experiment::SweepCellStatus> &cells, int k, std::ostream &out)
{
    std::size_t width = 4;
    for (const auto &c : cells)
        width = std::max(width, c.cell.name.size());
    const std::string hitHeader = "Hit@" + std::to_string(k);
    char line[512];
    std::snprintf(line, sizeof line, "%-*s  %-9s %8s %8s %7s %7s %7s\n", static_cast<int>(width), "cell", "state",
                  hitHeader.c_str(), "MinRank", "TR@10", "IR@10", "R_mean");
    out << line;
    std::map<std::string, int> counts;
    for (const auto &c : cells) {
        ++counts[c.state];
        const auto *goal = c.final ? c.final->firstAttack() : nullptr;
        const double hit = goal ? goal->attack.hitAt(k) : eval::kAbsent;
        const double minRank = goal ? goal->attack.minRankMean : eval::kAbsent;
        const auto &u = c.final ? c.final->utility : eval::UtilityFigures{};
        std::snprintf(line, sizeof line, "%-*s  %-9s %8s %8s %7s %7s %7s\n", static_cast<int>(width),
                      c.cell.name.c_str(), c.state.c_str(), number(hit, "%.3f").c_str(),
                      number(minRank, "%.1f").c_str(), number(u.textRetrieval.r10, "%.3f").c_str(),
                      number(u.imageRetrieval.r10, "%.3f").c_str(), number(u.rMean, "%.3f").c_str());
        out << line;
    }
    std::string summary;
    for (const auto &[state, n] : counts)
        summary += (summary.empty() ? "" : ", ") + std::to_string(n) + " " + state;
    out << cells.size() << " cells: " << summary << "\n";
    for (const auto &c : cells)
        if (!c.error.empty())
            out << c.cell.name << ": " << c.error << "\n";
}

class SweepStatusCommand final : public CliCommand {
public:
    std::string name() const override { return "sweep-status"; }
    std::string summary() const override { return "table every cell of a sweep: state and headline metrics"; }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Tables every cell of the sweep in SWEEP_DIR: its state (pending, running, cancelled, failed,\n"
                     "finished) and, once finished, the first goal's Hit@K and mean MinRank and the utility\n"
                     "(text and image retrieval R@10, R_mean).",
                     "sweep-status");
        std::string dir;
        bool asJson = false;
        int k = 10;
        app.add_option("sweep_dir", dir, "sweep folder (holding sweep.json)")->required();
        app.add_flag("--json", asJson, "print JSON for other programs");
        app.add_option("--k", k, "the K of Hit@K in the table")->check(CLI::PositiveNumber);
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        std::vector<experiment::SweepCellStatus> cells;
        experiment::SweepIndex index;
        try {
            index = experiment::SweepIndex::load(dir);
            cells = experiment::readSweepStatus(dir);
        } catch (const Error &e) {
            streams.err << "poisonlab-cli sweep-status: " << e.what() << "\n";
            return 2;
        }
        if (!asJson) {
            printTable(cells, k, streams.out);
            return 0;
        }
        json axes = json::array();
        for (const auto &a : index.axes)
            axes.push_back({{"key", a.key}, {"values", a.values}});
        json out = {{"sweep", fs::absolute(dir).lexically_normal().string()},
                    {"config_name", index.configName},
                    {"config_hash", index.configHash},
                    {"axes", axes},
                    {"cells", json::array()}};
        for (const auto &c : cells)
            out["cells"].push_back(cellJson(c));
        streams.out << out.dump(2) << "\n";
        return 0;
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::SweepStatusCommand;
POISONLAB_REGISTER_CLI_COMMAND(SweepStatusCommand)
