// Benchmark (not a timed assertion): the embedding map at COCO's test size, 5,000 images +
// 25,000 captions (synthetic clustered points, as t-SNE lays out 80 classes), 1200x800. One frame
// = one step of the interaction and a synchronous repaint: a 12-pixel pan, a wheel notch of zoom
// around the cursor (from the whole map, drawn as the density image, down to a few hundred
// markers and back), or a mouse move that hovers (grid-index lookup and the hover card). QBENCHMARK
// prints msecs per 10 frames; each case also prints the mean, p95 and worst of 200 single frames.
// Target (issue 17): 16 ms a frame.
#include "TestSupport.h"

#include "analysis/EmbeddingGallery.h"
#include "analysis/EmbeddingMapView.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

using namespace poisonlab;
using ui::EmbeddingMapView;
using ui::MapModality;
using ui::MapPoint;

namespace {

constexpr int kImages = 5000;
constexpr int kCaptions = 25000;
constexpr int kClasses = 80;

void makeMap(EmbeddingMapView &view)
{
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> centre(-60, 60);
    std::normal_distribution<float> spread(0, 2.5f);
    std::vector<std::pair<float, float>> centres;
    for (int c = 0; c < kClasses; ++c)
        centres.emplace_back(centre(rng), centre(rng));
    auto gallery = std::make_shared<ui::EmbeddingGallery>();
    QVector<ui::MapGroup> groups;
    for (int c = 0; c < kClasses; ++c) {
        gallery->classes << QStringLiteral("class %1").arg(c);
        groups.push_back({gallery->classes.last(), QColor::fromHsv(c * 360 / kClasses, 180, 200), true});
    }
    QVector<MapPoint> points;
    for (int i = 0; i < kImages + kCaptions; ++i) {
        const bool image = i < kImages;
        const int row = image ? i : i - kImages;
        const int cls = (image ? row : row / 5) % kClasses;
        MapPoint p;
        p.x = centres[std::size_t(cls)].first + spread(rng);
        p.y = centres[std::size_t(cls)].second + spread(rng);
        p.row = row;
        p.modality = image ? MapModality::Image : MapModality::Caption;
        p.group = cls;
        p.highlighted = image && cls == 3; // a target class's images stand out, as in the panel
        points.push_back(p);
        if (image)
            gallery->images.push_back({QStringLiteral("img%1.png").arg(row), QString(), row, cls});
        else
            gallery->captions.push_back(
                {QStringLiteral("A picture of a class %1 thing.").arg(cls), row, row / 5, cls, false});
    }
    view.setGallery(gallery, nullptr);
    view.setTitle(QStringLiteral("5,000 images + 25,000 captions"));
    view.setAxisName(QStringLiteral("t-SNE"));
    view.setPoints(std::move(points), std::move(groups));
}

struct FrameStats {
    double mean, p95, worst, densityShare;
};

FrameStats timeFrames(EmbeddingMapView &view, const std::function<void(int)> &step, int frames)
{
    std::vector<double> ms;
    int density = 0;
    QElapsedTimer t;
    for (int f = 0; f < frames; ++f) {
        t.start();
        step(f);
        view.repaint();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
        density += view.usesDensity() ? 1 : 0;
    }
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (double m : ms)
        sum += m;
    return {sum / double(ms.size()), ms[std::size_t(double(ms.size()) * 0.95)], ms.back(), double(density) / frames};
}

} // namespace

class TestEmbeddingMapBenchmark : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void frame_data();
    void frame();

private:
    std::unique_ptr<EmbeddingMapView> m_view;
};

void TestEmbeddingMapBenchmark::initTestCase()
{
    m_view = std::make_unique<EmbeddingMapView>();
    m_view->resize(1200, 800);
    QElapsedTimer t;
    t.start();
    makeMap(*m_view);
    qInfo("setPoints (grid index over 30,000 points): %.1f ms", double(t.nsecsElapsed()) / 1e6);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestEmbeddingMapBenchmark::frame_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("pan") << "pan";
    QTest::newRow("zoom") << "zoom";
    QTest::newRow("hover") << "hover";
}

void TestEmbeddingMapBenchmark::frame()
{
    QFETCH(QString, kind);
    EmbeddingMapView &view = *m_view;
    view.resetView();
    const QPointF centre = view.viewport().plot.center();
    std::function<void(int)> step;
    if (kind == "pan") {
        step = [&](int f) { view.panBy(QPointF((f / 20) % 2 ? -12 : 12, (f / 40) % 2 ? -6 : 6)); };
    } else if (kind == "zoom") {
        // 40 notches in (x1.1 each: the whole map down to a few clusters, 45x), 40 out, around a cluster.
        const QPointF at = view.viewport().toPixel(view.points()[3].x, view.points()[3].y);
        step = [&, at](int f) { view.zoomAt(at, (f / 40) % 2 ? 1 / 1.1 : 1.1); };
    } else {
        // The cursor sweeps the plot; most moves land on a point (the hover card is drawn).
        const QRectF plot = view.viewport().plot.adjusted(40, 40, -40, -40);
        step = [&, plot](int f) {
            const double u = (f % 50) / 50.0, v = ((f / 50) % 4 + 0.5) / 4.0;
            view.hoverAt(QPointF(plot.left() + u * plot.width(), plot.top() + v * plot.height()));
        };
    }
    Q_UNUSED(centre);
    int f = 0;
    QBENCHMARK
    {
        for (int k = 0; k < 10; ++k) {
            step(f++);
            view.repaint();
        }
    }
    view.resetView();
    const FrameStats s = timeFrames(view, step, 200);
    qInfo("%s: 200 frames, mean %.2f ms, p95 %.2f ms, worst %.2f ms (density image in %.0f%% of them)",
          qPrintable(kind), s.mean, s.p95, s.worst, s.densityShare * 100);
}

POISONLAB_TEST_MAIN(TestEmbeddingMapBenchmark)
#include "tst_embeddingmapbenchmark.moc"
