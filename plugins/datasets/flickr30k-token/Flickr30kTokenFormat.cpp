// The original Flickr30k caption file, results_20130124.token: "<image>#<n>\t<caption>".
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/DatasetBuilder.h"
#include "poisonlab/core/plugin/DatasetFormatPlugin.h"

#include <fstream>

namespace {
namespace fs = std::filesystem;
using namespace poisonlab;
using namespace poisonlab::data;

class Flickr30kTokenFormat final : public plugin::DatasetFormatPlugin {
public:
    Dataset read(const DatasetSource &source, ProgressReporter &progress) override
    {
        const auto files = annotationFiles(
            source, [](const std::string &n) { return n.size() > 6 && n.substr(n.size() - 6) == ".token"; },
            "Flickr30k results_20130124.token");
        DatasetBuilder builder(metadata().id, source.root, source.options);
        std::string folder = builder.options().imageDir;
        std::error_code ec;
        if (folder.empty())
            for (const char *c : {"flickr30k-images", "flickr30k_images", "images", "Images"})
                if (fs::is_directory(source.root / c, ec)) {
                    folder = c;
                    break;
                }
        for (const auto &file : files) {
            std::ifstream in(file, std::ios::binary);
            if (!in)
                throw Error(file, "cannot open");
            const std::string name = file.filename().string();
            const auto size = static_cast<long long>(fs::file_size(file, ec));
            std::string line;
            for (long long n = 1; std::getline(in, line); ++n) {
                builder.tick(progress, name, static_cast<long long>(in.tellg()), size);
                if (!line.empty() && line.back() == '\r')
                    line.pop_back();
                if (line.find_first_not_of(" \t") == std::string::npos)
                    continue;
                const std::string where = name + " line " + std::to_string(n);
                const auto tab = line.find('\t');
                const auto hash = line.rfind('#', tab);
                if (tab == std::string::npos || hash == std::string::npos || hash == 0) {
                    builder.skip(where, "expected \"<image>#<n><TAB><caption>\"");
                    continue;
                }
                const std::string image = line.substr(0, hash);
                const int index = builder.addImage(joinRecordPath(folder, image), image, Split::None, where);
                if (index >= 0)
                    builder.addCaption(index, line.substr(tab + 1), where);
            }
        }
        return builder.finish();
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(Flickr30kTokenFormat)
