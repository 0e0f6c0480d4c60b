// Demo-data generation speed: 1,000 images of 128 x 128 (the target: <= 30 s on the
// project's 2 cores; the per-image aim: <= 2 ms to draw and caption, PNG encoding excluded).
// Measures (1) drawing + captions in memory, (2) PNG encoding at compression level 1, (3) the
// whole `demo-data` run for Emoji-PASCAL (50 x 20 images), Emoji-COCO and Emoji-Web with all
// files written. There is no external peer: no other program draws these datasets.
//
//   bench_demo_data [--images 1000] [--out DIR]      prints human lines, then one JSON line
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/demo/CaptionGrammar.h"
#include "poisonlab/core/demo/DemoDataGenerator.h"
#include "poisonlab/core/demo/EmojiCatalog.h"
#include "poisonlab/core/demo/EmojiFont.h"
#include "poisonlab/core/demo/SceneComposer.h"

#include <nlohmann/json.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

using namespace poisonlab;
using namespace poisonlab::demo;
namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char **argv)
{
    int images = 1000;
    fs::path out = fs::temp_directory_path() / "poisonlab-bench-demo";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--images")
            images = std::stoi(argv[i + 1]);
        else if (a == "--out")
            out = argv[i + 1];
    }
    try {
        EmojiFont font;
        const auto classes = EmojiCatalog::availableIn(EmojiCatalog::pascal(), font);
        const SceneComposer composer(font, classes);
        const CaptionGrammar grammar(classes);
        // Warm the glyph cache once, as a real run does after its first few images.
        for (int i = 0; i < 200; ++i) {
            Rng rng = Rng::derive(1, i);
            composer.composeSingleClass(i % int(classes.size()), rng);
        }

        auto t0 = std::chrono::steady_clock::now();
        std::vector<cv::Mat> drawn;
        size_t captionChars = 0;
        for (int i = 0; i < images; ++i) {
            Rng rng = Rng::derive(2, i);
            Scene s = composer.composeSingleClass(i % int(classes.size()), rng);
            for (const auto &c : grammar.captions(s.facts, rng, 5))
                captionChars += c.size();
            drawn.push_back(s.image);
        }
        const double drawSeconds = secondsSince(t0);

        t0 = std::chrono::steady_clock::now();
        size_t pngBytes = 0;
        for (const cv::Mat &m : drawn) {
            std::vector<uchar> buf;
            cv::imencode(".png", m, buf, {cv::IMWRITE_PNG_COMPRESSION, 1});
            pngBytes += buf.size();
        }
        const double pngSeconds = secondsSince(t0);

        nlohmann::json runs;
        for (DemoKind kind : {DemoKind::Pascal, DemoKind::Coco, DemoKind::Web}) {
            DemoDataOptions o;
            o.kind = kind;
            o.out = out / demoKindName(kind);
            o.images = kind == DemoKind::Pascal ? std::max(1, images / 20) : images;
            fs::remove_all(o.out);
            NullProgress progress;
            t0 = std::chrono::steady_clock::now();
            const DemoDataSummary s = DemoDataGenerator(o).run(progress);
            runs[demoKindName(kind)] = {{"images", s.images}, {"seconds", secondsSince(t0)}};
            fs::remove_all(o.out);
        }

        std::printf("demo-data generation, %d images of 128x128, OpenCV threads %d\n", images, cv::getNumThreads());
        std::printf("  draw + 5 captions (in memory) : %7.3f s  (%.3f ms/image; aim <= 2 ms)\n", drawSeconds,
                    1000.0 * drawSeconds / images);
        std::printf("  PNG encode, level 1           : %7.3f s  (%.3f ms/image, %.1f KiB/image)\n", pngSeconds,
                    1000.0 * pngSeconds / images, pngBytes / 1024.0 / images);
        for (const auto &[kind, r] : runs.items())
            std::printf("  demo-data --kind %-6s        : %7.3f s for %d images, all files written (target <= 30 s)\n",
                        kind.c_str(), r["seconds"].get<double>(), r["images"].get<int>());
        std::printf("  peer: none (no other program draws these datasets)\n");
        std::cout << nlohmann::json{{"images", images},
                                    {"draw_seconds", drawSeconds},
                                    {"png_seconds", pngSeconds},
                                    {"runs", runs},
                                    {"caption_chars", captionChars}}
                         .dump()
                  << "\n";
        return 0;
    } catch (const std::exception &e) {
        std::cerr << "bench_demo_data: " << e.what() << "\n";
        return 1;
    }
}
