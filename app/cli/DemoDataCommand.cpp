// poisonlab-cli demo-data: writes one of the offline demo datasets (Emoji-PASCAL, -COCO, -Web).
#include "CliParsing.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/demo/DemoDataGenerator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace poisonlab::cli {

namespace {

class DemoDataCommand final : public CliCommand {
public:
    std::string name() const override { return "demo-data"; }
    std::string summary() const override
    {
        return "generate an offline demo dataset (Emoji-PASCAL, Emoji-COCO, Emoji-Web)";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Draws the offline demo data from Noto Color Emoji and writes it in the real format:\n"
                     "  pascal  PASCAL-sentences layout (dataset/<class>/, sentence/<class>/), 5 captions per image\n"
                     "  coco    COCO 2017 files (annotations/captions_*.json, instances_*.json, train2017/, val2017/)\n"
                     "  web     a pool of pairs: images/ + captions.csv (image,caption,label,split)\n"
                     "The folder gets demo-manifest.json and, last, a .complete marker.",
                     name());
        std::string out, kind = "pascal", format = "png";
        long long seed = 1, images = 0, size = 128;
        std::string font;
        app.add_option("--out", out, "output folder (created; must be empty or hold earlier demo data)")->required();
        app.add_option("--kind", kind, "pascal, coco or web (default pascal)");
        app.add_option("--seed", seed, "random seed; the same seed gives byte-identical files (default 1)");
        app.add_option("--images", images,
                       "images per class for pascal (default 50); images in total for coco (1000) and web (20000)");
        app.add_option("--size", size, "image width and height in pixels (default 128)");
        app.add_option("--format", format, "png (default) or jpg");
        app.add_option("--font", font, "colour emoji font (default: Noto Color Emoji, or $POISONLAB_EMOJI_FONT)");
        bool ifOutdated = false;
        app.add_flag("--if-outdated", ifOutdated,
                     "do nothing when the folder already holds complete demo data of this kind, seed, count, size and "
                     "format from this version of the generator (what ./scripts/run.sh uses)");
        if (const int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;

        const auto parsedKind = demo::parseDemoKind(kind);
        if (!parsedKind) {
            streams.err << "poisonlab-cli demo-data: unknown kind '" << kind << "' (expected pascal, coco or web)\n";
            return 2;
        }
        if (images <= 0 && app.count("--images") > 0) {
            streams.err << "poisonlab-cli demo-data: --images must be a positive number, got " << images << "\n";
            return 2;
        }
        if (seed < 0) {
            streams.err << "poisonlab-cli demo-data: --seed must not be negative, got " << seed << "\n";
            return 2;
        }
        demo::DemoDataOptions options;
        options.kind = *parsedKind;
        options.out = out;
        options.seed = static_cast<std::uint64_t>(seed);
        options.images = static_cast<int>(std::min<long long>(images, 1LL << 30));
        options.imageSize = static_cast<int>(std::clamp<long long>(size, -1, 1 << 20));
        options.imageFormat = format;
        options.fontPath = font;
        if (ifOutdated && demo::DemoDataGenerator::isUpToDate(options)) {
            streams.err << "demo-data: " << options.out.string() << " is up to date\n";
            return 0;
        }
        try {
            demo::DemoDataGenerator::validate(options);
            demo::DemoDataGenerator::checkOutputFolder(options.out);
        } catch (const Error &e) {
            streams.err << "poisonlab-cli demo-data: " << e.what() << "\n";
            return 2;
        }

        // Progress on stderr: a line every 10 % (or a \r-updated line on a terminal).
        const bool tty = ::isatty(2);
        int lastTenth = -1;
        CallbackProgress progress([&](const ProgressEvent &e) {
            if (e.total <= 0)
                return;
            const int tenth = static_cast<int>(10 * e.done / e.total);
            if (tty) {
                streams.err << "\rdemo-data: " << e.done << "/" << e.total << " images" << std::flush;
                if (e.done == e.total)
                    streams.err << "\n";
            } else if (tenth != lastTenth) {
                lastTenth = tenth;
                streams.err << "demo-data: " << e.done << "/" << e.total << " images\n" << std::flush;
            }
        });
        try {
            const demo::DemoDataSummary s = demo::DemoDataGenerator(options).run(progress);
            streams.err << "demo-data: wrote " << s.images << " images, " << s.captions << " captions and " << s.objects
                        << " objects of " << s.classes << " classes (Emoji-"
                        << (kind == "pascal" ? "PASCAL"
                            : kind == "coco" ? "COCO"
                                             : "Web")
                        << ") to " << s.out.string() << " in " << static_cast<int>(s.seconds * 10) / 10.0 << " s\n";
            streams.out << nlohmann::json{{"kind", kind},           {"out", s.out.string()}, {"images", s.images},
                                          {"captions", s.captions}, {"objects", s.objects},  {"classes", s.classes},
                                          {"seconds", s.seconds}}
                               .dump()
                        << "\n";
            return 0;
        } catch (const Error &e) {
            streams.err << "poisonlab-cli demo-data: " << e.what() << "\n";
            return 1;
        }
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::DemoDataCommand;
POISONLAB_REGISTER_CLI_COMMAND(DemoDataCommand)
