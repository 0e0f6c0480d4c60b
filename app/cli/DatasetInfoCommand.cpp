// poisonlab-cli dataset info --format F --root DIR [--annotations FILE]... [--json]
// Opens a dataset through its dataset-format plugin and reports images, captions, per-class and
// per-split counts and every skipped file or record with its reason.
#include "CliParsing.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/plugin/DatasetOpening.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <ostream>

namespace poisonlab::cli {
namespace fs = std::filesystem;

namespace {

nlohmann::json summarise(const data::Dataset &d)
{
    std::vector<long long> labelled(d.classes.size(), 0), annotated(d.classes.size(), 0);
    for (const auto &img : d.images) {
        if (img.label >= 0 && static_cast<std::size_t>(img.label) < labelled.size())
            ++labelled[static_cast<std::size_t>(img.label)];
        for (int c : img.categories)
            if (c >= 0 && static_cast<std::size_t>(c) < annotated.size())
                ++annotated[static_cast<std::size_t>(c)];
    }
    nlohmann::json classes = nlohmann::json::array();
    for (std::size_t c = 0; c < d.classes.size(); ++c)
        classes.push_back({{"name", d.classes[c]}, {"images", labelled[c]}, {"annotated", annotated[c]}});
    nlohmann::json splits = nlohmann::json::object();
    std::map<std::string, std::pair<long long, long long>> perSplit;
    for (const auto &img : d.images)
        ++perSplit[std::string(data::splitName(img.split))].first;
    for (const auto &c : d.captions)
        ++perSplit[std::string(data::splitName(d.images[static_cast<std::size_t>(c.image)].split))].second;
    for (const auto &[name, counts] : perSplit)
        splits[name] = {{"images", counts.first}, {"captions", counts.second}};
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto &s : d.skipped)
        skipped.push_back({{"where", s.where}, {"reason", s.reason}});
    long long unlabelled = 0;
    for (const auto &img : d.images)
        unlabelled += img.label < 0;
    return {{"name", d.name},
            {"format", d.format},
            {"root", d.root.string()},
            {"images", d.images.size()},
            {"captions", d.captions.size()},
            {"unlabelledImages", unlabelled},
            {"classes", classes},
            {"splits", splits},
            {"skipped", skipped}};
}

void printText(const nlohmann::json &s, std::ostream &os)
{
    os << "Dataset " << s["name"].get<std::string>() << " (" << s["format"].get<std::string>() << ") at "
       << s["root"].get<std::string>() << "\n"
       << "  images:   " << s["images"] << "\n"
       << "  captions: " << s["captions"] << "\n"
       << "  classes:  " << s["classes"].size() << "\n"
       << "  skipped:  " << s["skipped"].size() << "\n\n";
    os << "Split      images  captions\n";
    for (const auto &[name, c] : s["splits"].items())
        os << std::left << std::setw(8) << name << std::right << std::setw(9) << c["images"].get<long long>()
           << std::setw(10) << c["captions"].get<long long>() << "\n";
    if (!s["classes"].empty()) {
        std::size_t width = 5;
        for (const auto &c : s["classes"])
            width = std::max(width, c["name"].get<std::string>().size());
        os << "\n"
           << std::left << std::setw(static_cast<int>(width)) << "Class" << std::right << "  labelled  annotated\n";
        for (const auto &c : s["classes"])
            os << std::left << std::setw(static_cast<int>(width)) << c["name"].get<std::string>() << std::right
               << std::setw(10) << c["images"].get<long long>() << std::setw(11) << c["annotated"].get<long long>()
               << "\n";
        if (s["unlabelledImages"].get<long long>() > 0)
            os << "(" << s["unlabelledImages"] << " images without a label)\n";
    }
    if (!s["skipped"].empty()) {
        os << "\nSkipped (" << s["skipped"].size() << "):\n";
        for (const auto &k : s["skipped"])
            os << "  " << k["where"].get<std::string>() << ": " << k["reason"].get<std::string>() << "\n";
    }
}

} // namespace

class DatasetInfoCommand final : public CliCommand {
public:
    std::string name() const override { return "dataset"; }
    std::string summary() const override
    {
        return "dataset tools: `dataset info` counts a dataset and lists skipped items";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Dataset tools.", name());
        app.require_subcommand(1);
        CLI::App *info = app.add_subcommand(
            "info", "Open a dataset and report images, captions, per-class and per-split counts, and every "
                    "skipped file or record with its reason.");
        std::string format, root, optionsText;
        std::vector<std::string> annotations;
        bool json = false, noCheck = false;
        long long seed = 0;
        info->add_option("--format,-f", format,
                         "dataset format: pascal-sentences, karpathy, flickr30k-token, coco, paper-json, csv")
            ->required();
        info->add_option("--root,-r", root, "the dataset folder (image paths are relative to it)")->required();
        info->add_option("--annotations,-a", annotations,
                         "annotation file(s); default: the format's usual files found under the root");
        info->add_option("--seed", seed, "seed of seeded choices (COCO's per-image label)");
        info->add_flag("--no-check-files", noCheck, "do not open the image files (annotations only)");
        info->add_option("--options", optionsText, "format options as a JSON object, e.g. '{\"imageDir\":\"imgs\"}'");
        info->add_flag("--json", json, "print JSON instead of a text report");
        if (const int code = parseArgs(app, args, streams); code >= 0)
            return code;

        data::DatasetSource source;
        source.format = format;
        source.root = root;
        for (const auto &a : annotations)
            source.annotations.emplace_back(a);
        if (!optionsText.empty()) {
            try {
                source.options = nlohmann::json::parse(optionsText);
            } catch (const std::exception &e) {
                streams.err << "poisonlab-cli dataset info: --options is not valid JSON: " << e.what() << "\n";
                return 2;
            }
            if (!source.options.is_object()) {
                streams.err << "poisonlab-cli dataset info: --options must be a JSON object\n";
                return 2;
            }
        }
        if (info->count("--seed"))
            source.options["seed"] = seed;
        if (noCheck)
            source.options["checkFiles"] = false;

        data::Dataset dataset;
        try {
            NullProgress progress;
            dataset = plugin::openDataset(source, progress);
        } catch (const Error &e) {
            streams.err << "poisonlab-cli dataset info: " << e.what() << "\n";
            return 2;
        }
        const nlohmann::json summary = summarise(dataset);
        if (json)
            streams.out << summary.dump(2) << "\n";
        else
            printText(summary, streams.out);
        return 0;
    }
};

POISONLAB_REGISTER_CLI_COMMAND(DatasetInfoCommand)

} // namespace poisonlab::cli
