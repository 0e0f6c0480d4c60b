// libFuzzer target: the original Flickr30k caption file (plugins/datasets/flickr30k-token), on
// arbitrary bytes as results_20130124.token ("<image>#<n><TAB><caption>" lines). The root holds
// flickr30k-images/1.jpg and 2.jpg (DatasetFormatFuzzing.h).
#include "DatasetFormatFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace poisonlab::fuzz;
    const auto &root = datasetRoot({"flickr30k-images/1.jpg", "flickr30k-images/2.jpg"});
    const auto file = root / "results_20130124.token";
    writeBytes(file, std::string_view(reinterpret_cast<const char *>(data), size));
    readDataset(root, {file}, nlohmann::json::object());
    return 0;
}
