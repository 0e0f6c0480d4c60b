// `poisonlab-cli retrieve RUN_DIR --query TEXT [--query TEXT]... [--caption-index N]...
// [--image-index N]... [--model M] [--k K] [--json]`: the top-K gallery images of typed or gallery
// captions (and the top-K captions of gallery images) under one model of a run, ranked as the
// metrics rank them (docs/run-directory.md, "Evaluation record").
#include "CliParsing.h"

#include "cli/InterruptGuard.h"
#include "cli/RunProgressPrinter.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/RetrievalGallery.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <sstream>

namespace poisonlab::cli {

namespace {

using experiment::CaptionHit;
using experiment::ImageHit;
using nlohmann::json;

json imagesJson(const std::vector<ImageHit> &hits)
{
    json out = json::array();
    for (const auto &h : hits)
        out.push_back({{"rank", h.rank},
                       {"score", h.score},
                       {"row", h.row},
                       {"image", h.image},
                       {"path", h.path},
                       {"class", h.className.empty() ? json() : json(h.className)},
                       {"target", h.target}});
    return out;
}

json captionsJson(const std::vector<CaptionHit> &hits, int imageRow)
{
    json out = json::array();
    for (const auto &h : hits)
        out.push_back({{"rank", h.rank},
                       {"score", h.score},
                       {"row", h.row},
                       {"caption", h.caption},
                       {"text", h.text},
                       {"class", h.className.empty() ? json() : json(h.className)},
                       {"image_row", h.imageRow},
                       {"own_image", h.imageRow == imageRow},
                       {"poisoned", h.poisoned}});
    return out;
}

std::string fixed(double v)
{
    std::ostringstream s;
    s << std::fixed << std::setprecision(4) << v;
    return s.str();
}

/// The result as a terminal table per query.
void printText(std::ostream &out, const json &r)
{
    out << "run " << r["run"].get<std::string>() << ", model " << r["model"].get<std::string>() << " ("
        << r["record"].get<std::string>() << ")";
    if (!r["goals"].empty())
        out << ", targets of " << r["goals"].dump();
    out << "\n";
    for (const auto &q : r["queries"]) {
        out << "\nImages for \"" << q["query"].get<std::string>() << "\""
            << (q.contains("caption_row") ? " (caption row " + q["caption_row"].dump() + ")" : std::string()) << ":\n";
        out << "  rank  score    class         target  path\n";
        for (const auto &h : q["images"])
            out << "  " << std::setw(4) << h["rank"].get<long long>() << "  " << fixed(h["score"].get<double>()) << "  "
                << std::left << std::setw(12) << (h["class"].is_null() ? "-" : h["class"].get<std::string>()) << "  "
                << std::setw(6) << (h["target"].get<bool>() ? "TARGET" : "") << std::right << "  "
                << h["path"].get<std::string>() << "\n";
    }
    for (const auto &q : r["images"]) {
        out << "\nCaptions for image row " << q["image_row"].get<int>() << " (" << q["path"].get<std::string>()
            << "):\n";
        out << "  rank  score    own  text\n";
        for (const auto &h : q["captions"])
            out << "  " << std::setw(4) << h["rank"].get<long long>() << "  " << fixed(h["score"].get<double>()) << "  "
                << (h["own_image"].get<bool>() ? "yes" : "   ") << "  " << h["text"].get<std::string>() << "\n";
    }
}

class RetrieveCommand final : public CliCommand {
public:
    std::string name() const override { return "retrieve"; }
    std::string summary() const override
    {
        return "top-K images of a caption (typed or from the gallery) and top-K captions of an image, under a run's "
               "model";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Ranks RUN_DIR's evaluation gallery as the metrics do (a rank counts strictly higher\n"
                     "scores, or every other equal score too when the run's evaluation.options.ties is\n"
                     "pessimistic). Uses results/embeddings/<model>/ when the run evaluated that model; otherwise\n"
                     "embeds the gallery once and writes that record.",
                     "retrieve");
        experiment::RetrievalGalleryOptions o;
        std::string runDir;
        std::vector<std::string> queries;
        std::vector<int> captionRows, imageRows;
        int k = 10;
        bool asJson = false;
        app.add_option("run_dir", runDir, "a run directory")->required();
        app.add_option("--query", queries, "a caption to embed with the model (repeatable)");
        app.add_option("--caption-index", captionRows, "a gallery caption: its row in index.json \"captions\"");
        app.add_option("--image-index", imageRows,
                       "a gallery image (row in index.json \"images\"): its top-K captions");
        app.add_option("--model", o.model, "final, initial or epoch-N")->capture_default_str();
        app.add_option("--k", k, "how many results per query")->capture_default_str()->check(CLI::Range(1, 100000));
        app.add_flag("--json", asJson, "print JSON instead of tables");
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        if (queries.empty() && captionRows.empty() && imageRows.empty()) {
            streams.err << "poisonlab-cli retrieve: give at least one --query, --caption-index or --image-index\n";
            return 2;
        }
        o.runDir = runDir;
        o.textModel = !queries.empty();

        RunProgressPrinter printer(streams.err);
        CallbackProgress progress([&](const ProgressEvent &e) { printer.print(e); });
        InterruptGuard guard(progress);
        try {
            const auto g = experiment::RetrievalGallery::load(o, progress);
            json r = {{"run", g->runName()},
                      {"run_dir", g->runDir().string()},
                      {"model", g->model()},
                      {"record", g->record().dir.string()},
                      {"computed", g->computedNow()},
                      {"goals", g->goalNames()},
                      {"k", k},
                      {"queries", json::array()},
                      {"images", json::array()}};
            for (const auto &text : queries)
                r["queries"].push_back({{"query", text}, {"images", imagesJson(g->topImagesForText(text, k))}});
            for (int row : captionRows) {
                auto hits = g->topImagesForCaption(row, k);
                r["queries"].push_back({{"query", g->dataset()->captions[std::size_t(row)].text},
                                        {"caption_row", row},
                                        {"images", imagesJson(hits)}});
            }
            for (int row : imageRows) {
                auto hits = g->topCaptions(row, k);
                r["images"].push_back({{"image_row", row},
                                       {"path", g->dataset()->images[std::size_t(row)].path},
                                       {"captions", captionsJson(hits, row)}});
            }
            if (asJson)
                streams.out << r.dump(2) << "\n";
            else
                printText(streams.out, r);
            return 0;
        } catch (const CancelledError &) {
            streams.err << "poisonlab-cli retrieve: cancelled (no record was left half-written)\n";
            return 130;
        } catch (const Error &e) {
            streams.err << "poisonlab-cli retrieve: " << e.what() << "\n";
            return 2;
        }
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::RetrieveCommand;
POISONLAB_REGISTER_CLI_COMMAND(RetrieveCommand)
