#include "poisonlab/core/report/FigureWriter.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/report/PngCanvas.h"
#include "poisonlab/core/report/SvgCanvas.h"

namespace poisonlab::report {

std::string renderSvg(const Chart &chart)
{
    SvgCanvas canvas(chart.width, chart.height, chart.title);
    chart.draw(canvas);
    return canvas.document();
}

cv::Mat renderPng(const Chart &chart, double scale)
{
    PngCanvas canvas(chart.width, chart.height, scale);
    chart.draw(canvas);
    return canvas.image();
}

FigureFiles writeFigure(const Chart &chart, const std::filesystem::path &dir, const std::string &name, double scale)
{
    FigureFiles files{dir / (name + ".svg"), dir / (name + ".png")};
    writeFileAtomically(files.svg, renderSvg(chart));
    PngCanvas png(chart.width, chart.height, scale);
    chart.draw(png);
    writeFileAtomically(files.png, png.encodePng());
    return files;
}

} // namespace poisonlab::report
