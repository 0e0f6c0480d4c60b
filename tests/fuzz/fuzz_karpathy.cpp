// libFuzzer target: Karpathy's split files (plugins/datasets/karpathy), on arbitrary bytes as
// dataset_flickr30k.json and, after a NUL byte, a COCO instances_val2014.json (the labels of
// Karpathy's COCO split). The root holds flickr30k-images/1.jpg, 2.jpg and val2014/x.jpg
// (DatasetFormatFuzzing.h).
#include "DatasetFormatFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace poisonlab::fuzz;
    const auto &root = datasetRoot({"flickr30k-images/1.jpg", "flickr30k-images/2.jpg", "val2014/x.jpg"});
    const auto parts = splitAtNul(data, size, 2);
    std::vector<std::filesystem::path> files = {root / "dataset_flickr30k.json"};
    writeBytes(files[0], parts[0]);
    if (parts.size() > 1) {
        files.push_back(root / "instances_val2014.json");
        writeBytes(files[1], parts[1]);
    }
    readDataset(root, files, {{"seed", 1}});
    return 0;
}
