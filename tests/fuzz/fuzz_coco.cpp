// libFuzzer target: the COCO dataset format (plugins/datasets/coco), on arbitrary bytes as its
// captions_train2014.json and, after a NUL byte, its instances_train2014.json (categories and
// labels). The root holds train2014/a.jpg, b.jpg and c.jpg (DatasetFormatFuzzing.h).
#include "DatasetFormatFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace poisonlab::fuzz;
    const auto &root = datasetRoot({"train2014/a.jpg", "train2014/b.jpg", "train2014/c.jpg"});
    const auto parts = splitAtNul(data, size, 2);
    std::vector<std::filesystem::path> files = {root / "captions_train2014.json"};
    writeBytes(files[0], parts[0]);
    if (parts.size() > 1) {
        files.push_back(root / "instances_train2014.json");
        writeBytes(files[1], parts[1]);
    }
    readDataset(root, files, {{"seed", 1}});
    return 0;
}
