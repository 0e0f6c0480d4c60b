// The report's plotting layer: nice ticks and axis mapping, SVG documents that are well-formed
// XML with one "series" group per data series, PNGs of the right size drawn with the same layout.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/report/BarChart.h"
#include "poisonlab/core/report/FigureWriter.h"
#include "poisonlab/core/report/HeatmapChart.h"
#include "poisonlab/core/report/LineChart.h"
#include "poisonlab/core/report/NiceScale.h"
#include "poisonlab/core/report/ScatterChart.h"

#include <QXmlStreamReader>

#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <set>

using namespace poisonlab;
using namespace poisonlab::report;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(std::shared_ptr<poisonlab::report::Chart>)

namespace {

struct SvgFacts {
    bool wellFormed = false;
    QString error;
    int width = 0, height = 0;
    int series = 0;        // <g class="series">
    int seriesShapes = 0;  // drawing elements inside series groups
    QStringList texts;     // every <text>'s content
    QString firstPolyline; // points of the first polyline inside a series group
};

SvgFacts inspect(const std::string &svg)
{
    SvgFacts f;
    QXmlStreamReader xml(QByteArray::fromStdString(svg));
    int seriesDepth = 0, depth = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            ++depth;
            const auto name = xml.name();
            const auto attrs = xml.attributes();
            if (name == QLatin1String("svg")) {
                f.width = attrs.value("width").toInt();
                f.height = attrs.value("height").toInt();
            } else if (name == QLatin1String("g") && attrs.value("class") == QLatin1String("series")) {
                ++f.series;
                seriesDepth = depth;
            } else if (name == QLatin1String("text")) {
                f.texts << xml.readElementText();
                --depth; // readElementText consumed the end element
            } else if (seriesDepth > 0) {
                ++f.seriesShapes;
                if (name == QLatin1String("polyline") && f.firstPolyline.isEmpty())
                    f.firstPolyline = attrs.value("points").toString();
            }
        } else if (xml.isEndElement()) {
            if (depth == seriesDepth)
                seriesDepth = 0;
            --depth;
        }
    }
    f.wellFormed = !xml.hasError();
    f.error = xml.errorString();
    return f;
}

std::shared_ptr<Chart> lineChart()
{
    auto c = std::make_shared<LineChart>();
    c->title = "Hit@K per epoch <test> & more";
    c->xLabel = "epoch";
    c->yLabel = "Hit@K";
    c->integerX = true;
    for (int s = 0; s < 3; ++s) {
        LineChart::Series series;
        series.name = "series " + std::to_string(s);
        for (int e = 0; e <= 4; ++e) {
            series.x.push_back(e);
            series.y.push_back(0.1 * s + 0.05 * e);
        }
        c->series.push_back(series);
    }
    return c;
}

std::shared_ptr<Chart> densityChart()
{
    auto c = std::make_shared<LineChart>();
    c->title = "density";
    for (int g = 0; g < 2; ++g) {
        LineChart::Series s;
        s.name = g ? "poisoned" : "clean";
        s.fill = true;
        for (int i = 0; i <= 20; ++i) {
            s.x.push_back(i * 0.05);
            s.y.push_back(std::exp(-std::pow((i * 0.05 - 0.4 - 0.3 * g) / 0.1, 2)));
        }
        c->series.push_back(s);
    }
    c->verticalLines.push_back({0.6, "threshold", Colour{80, 80, 80}});
    return c;
}

std::shared_ptr<Chart> rocChart()
{
    auto c = std::make_shared<LineChart>();
    c->title = "ROC";
    c->xRange = std::make_pair(0.0, 1.0);
    c->yRange = std::make_pair(0.0, 1.0);
    c->diagonal = true;
    LineChart::Series roc;
    roc.name = "AUC 0.900";
    roc.x = {0, 0.1, 0.3, 1};
    roc.y = {0, 0.7, 0.9, 1};
    c->series.push_back(roc);
    return c;
}

std::shared_ptr<Chart> barChart()
{
    auto c = std::make_shared<BarChart>();
    c->title = "bars";
    c->categories = {"Hit@1", "Hit@5", "Hit@10"};
    c->groups = {{"ours", {0.4, 0.8, 0.9}, std::nullopt}, {"baseline", {0.01, 0.07, 0.15}, std::nullopt}};
    return c;
}

std::shared_ptr<Chart> scatterChart()
{
    auto c = std::make_shared<ScatterChart>();
    c->title = "PCA";
    c->groups = {"aeroplane", "sheep", "sofa"};
    for (int i = 0; i < 30; ++i)
        c->points.push_back({std::cos(i) * 3, std::sin(i) * 2, std::size_t(i % 3), i % 2 == 0, i == 4});
    return c;
}

std::shared_ptr<Chart> heatmapChart()
{
    auto c = std::make_shared<HeatmapChart>();
    c->title = "MinRank";
    c->rowLabels = c->columnLabels = {"a", "b", "c", "d"};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    c->values = {{nan, 1, 2, 3}, {4, nan, 5, 6}, {7, 8, nan, 9}, {10, 11, 12, nan}};
    c->colourLabel = "mean MinRank";
    c->reversed = true;
    return c;
}

} // namespace

class TestReportCharts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void niceTicks_data();
    void niceTicks();
    void niceTicksHaveNoNegativeZero();
    void axisMap();
    void svgWellFormed_data();
    void svgWellFormed();
    void pngSizeAndLayout_data();
    void pngSizeAndLayout();
    void writeFigureWritesBoth();
};

void TestReportCharts::niceTicks_data()
{
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("target");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("step");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("decimals");
    QTest::newRow("unit interval") << 0.0 << 1.0 << 5 << 0.0 << 1.0 << 0.2 << 6 << 1;
    QTest::newRow("hit fractions") << 0.013 << 0.933 << 5 << 0.0 << 1.0 << 0.2 << 6 << 1;
    QTest::newRow("steps") << 0.0 << 258.0 << 6 << 0.0 << 300.0 << 50.0 << 7 << 0;
    QTest::newRow("quarters") << 0.0 << 1.0 << 4 << 0.0 << 1.0 << 0.25 << 5 << 2;
    QTest::newRow("negative") << -0.3 << 0.7 << 5 << -0.4 << 0.8 << 0.2 << 7 << 1;
    QTest::newRow("0.3 is one whole step") << 0.0 << 0.3 << 3 << 0.0 << 0.3 << 0.1 << 4 << 1;
    QTest::newRow("one value") << 3.0 << 3.0 << 5 << 1.0 << 5.0 << 1.0 << 5 << 0;
    QTest::newRow("not finite") << std::nan("") << 2.0 << 5 << 0.0 << 1.0 << 0.2 << 6 << 1;
    QTest::newRow("large ranks") << 0.0 << 1234.0 << 5 << 0.0 << 1250.0 << 250.0 << 6 << 0;
}

void TestReportCharts::niceTicks()
{
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, target);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(double, step);
    QFETCH(int, count);
    QFETCH(int, decimals);
    const Ticks t = report::niceTicks(lo, hi, target);
    QVERIFY2(std::abs(t.min - min) < 1e-9, std::to_string(t.min).c_str());
    QVERIFY2(std::abs(t.max - max) < 1e-9, std::to_string(t.max).c_str());
    QVERIFY2(std::abs(t.step - step) < 1e-9, std::to_string(t.step).c_str());
    QCOMPARE(int(t.values.size()), count);
    QCOMPARE(t.decimals, decimals);
    QVERIFY(std::abs(t.values.front() - min) < 1e-9 && std::abs(t.values.back() - max) < 1e-9);
    for (std::size_t i = 1; i < t.values.size(); ++i)
        QVERIFY(std::abs(t.values[i] - t.values[i - 1] - step) < 1e-9);
}

void TestReportCharts::niceTicksHaveNoNegativeZero()
{
    const Ticks t = report::niceTicks(-0.3, 0.7, 5);
    QStringList labels;
    for (double v : t.values)
        labels << QString::fromStdString(formatTick(v, t.decimals));
    QCOMPARE(labels, QStringList({"-0.4", "-0.2", "0.0", "0.2", "0.4", "0.6", "0.8"}));
    QCOMPARE(formatTick(-0.0001, 2), std::string("0.00"));
}

void TestReportCharts::axisMap()
{
    const AxisMap x(0, 1, 100, 300);
    QCOMPARE(x(0.25), 150.0);
    QCOMPARE(x(1.5), 400.0);        // extrapolates
    const AxisMap y(0, 10, 400, 0); // y grows upwards on screen
    QCOMPARE(y(2.5), 300.0);
    QCOMPARE(y(10), 0.0);
    QCOMPARE(y.inverse(300), 2.5);
    const AxisMap flat(5, 5, 0, 10); // an empty data range does not divide by zero
    QVERIFY(std::isfinite(flat(5)));
}

void TestReportCharts::svgWellFormed_data()
{
    QTest::addColumn<std::shared_ptr<Chart>>("chart");
    QTest::addColumn<int>("series");
    QTest::addColumn<QString>("title");
    QTest::newRow("line") << lineChart() << 3 << "Hit@K per epoch <test> & more";
    QTest::newRow("density") << densityChart() << 2 << "density";
    QTest::newRow("roc") << rocChart() << 1 << "ROC";
    QTest::newRow("bars") << barChart() << 2 << "bars";
    QTest::newRow("scatter") << scatterChart() << 3 << "PCA";
    QTest::newRow("heatmap") << heatmapChart() << 4 << "MinRank";
}

void TestReportCharts::svgWellFormed()
{
    QFETCH(std::shared_ptr<Chart>, chart);
    QFETCH(int, series);
    QFETCH(QString, title);
    const std::string svg = renderSvg(*chart);
    const SvgFacts f = inspect(svg);
    QVERIFY2(f.wellFormed, qPrintable(f.error));
    QCOMPARE(f.width, chart->width);
    QCOMPARE(f.height, chart->height);
    QCOMPARE(f.series, series);
    QVERIFY(f.seriesShapes >= series); // every series draws something
    QVERIFY2(f.texts.contains(title), qPrintable(f.texts.join(" | ")));
    QVERIFY(f.texts.size() > 3); // ticks, labels or legend as text, not paths
}

void TestReportCharts::pngSizeAndLayout_data()
{
    QTest::addColumn<std::shared_ptr<Chart>>("chart");
    QTest::addColumn<double>("scale");
    QTest::newRow("line x2") << lineChart() << 2.0;
    QTest::newRow("line x1") << lineChart() << 1.0;
    QTest::newRow("roc x2") << rocChart() << 2.0;
}

void TestReportCharts::pngSizeAndLayout()
{
    QFETCH(std::shared_ptr<Chart>, chart);
    QFETCH(double, scale);
    const cv::Mat image = renderPng(*chart, scale);
    std::vector<uchar> bytes;
    QVERIFY(cv::imencode(".png", image, bytes));
    const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    QCOMPARE(decoded.cols, int(chart->width * scale));
    QCOMPARE(decoded.rows, int(chart->height * scale));
    QCOMPARE(decoded.type(), CV_8UC3);
    // Same layout as the SVG: where the SVG puts the first series' second point, the PNG has
    // that series' colour.
    const SvgFacts f = inspect(renderSvg(*chart));
    const QStringList points = f.firstPolyline.split(' ');
    QVERIFY(points.size() >= 2);
    const QStringList xy = points[1].split(',');
    const int px = int(std::lround(xy[0].toDouble() * scale)), py = int(std::lround(xy[1].toDouble() * scale));
    const Colour c = categoricalColour(0);
    const cv::Vec3b at = decoded.at<cv::Vec3b>(py, px);
    const int distance = std::abs(at[0] - c.b) + std::abs(at[1] - c.g) + std::abs(at[2] - c.r);
    QVERIFY2(distance < 60,
             qPrintable(QString("pixel (%1,%2) is %3,%4,%5").arg(px).arg(py).arg(at[2]).arg(at[1]).arg(at[0])));
    // Anti-aliased: intermediate shades exist, not only the palette and white.
    std::set<int> shades;
    for (int r = 0; r < decoded.rows; r += 3)
        for (int col = 0; col < decoded.cols; col += 3) {
            const cv::Vec3b v = decoded.at<cv::Vec3b>(r, col);
            shades.insert(v[0] << 16 | v[1] << 8 | v[2]);
        }
    QVERIFY(shades.size() > 50);
}

void TestReportCharts::writeFigureWritesBoth()
{
    test::TempDir dir;
    const auto chart = barChart();
    const FigureFiles files = writeFigure(*chart, dir / "figs", "bars");
    QCOMPARE(files.svg, dir / "figs" / "bars.svg");
    QCOMPARE(files.png, dir / "figs" / "bars.png");
    QVERIFY(inspect(readFile(files.svg)).wellFormed);
    const cv::Mat png = cv::imread(files.png.string());
    QCOMPARE(png.cols, int(chart->width * kPngScale));
    QCOMPARE(png.rows, int(chart->height * kPngScale));
    int files_ = 0;
    for ([[maybe_unused]] const auto &e : fs::directory_iterator(dir / "figs"))
        ++files_;
    QCOMPARE(files_, 2); // no temporary files left behind
}

POISONLAB_TEST_MAIN(TestReportCharts)
#include "tst_reportcharts.moc"
