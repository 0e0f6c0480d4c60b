// Times opening COCO-2014-sized official annotations (captions + instances) through the coco
// dataset-format plugin, annotations only (checkFiles=false: no image file is opened), and
// reports the peak resident memory. Peer: bench/dataset_import_peer.py (Python json.load).
//
//   bench_dataset_import DIR [--repeat N]     (DIR from bench/make_coco_scale.py)
// Prints {"seconds": best, "peak_rss_mb": ..., "images": ..., "captions": ..., "labelled": ...}.
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/plugin/DatasetOpening.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sys/resource.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::cerr << "usage: bench_dataset_import DIR [--repeat N]\n";
        return 2;
    }
    int repeat = 1;
    for (int i = 2; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--repeat") == 0)
            repeat = std::atoi(argv[i + 1]);
    poisonlab::data::DatasetSource source;
    source.format = "coco";
    source.root = argv[1];
    source.annotations = {source.root / "captions_train2014.json", source.root / "instances_train2014.json"};
    source.options = {{"checkFiles", false}, {"seed", 0}};
    double best = 1e30;
    std::size_t images = 0, captions = 0, labelled = 0, skipped = 0;
    try {
        for (int r = 0; r < repeat; ++r) {
            poisonlab::NullProgress progress;
            const auto t0 = std::chrono::steady_clock::now();
            const auto d = poisonlab::plugin::openDataset(source, progress);
            best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            images = d.images.size();
            captions = d.captions.size();
            skipped = d.skipped.size();
            labelled = 0;
            for (const auto &img : d.images)
                labelled += img.label >= 0;
        }
    } catch (const std::exception &e) {
        std::cerr << "bench_dataset_import: " << e.what() << "\n";
        return 1;
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("{\"seconds\": %.4f, \"peak_rss_mb\": %.1f, \"images\": %zu, \"captions\": %zu, \"labelled\": %zu, "
                "\"skipped\": %zu}\n",
                best, static_cast<double>(ru.ru_maxrss) / 1024.0, images, captions, labelled, skipped);
    return 0;
}
