// The signal colours read on light and dark themes: each one has a WCAG contrast ratio of at
// least 4.5:1 (normal text) against the window background of Fusion's light palette and of a
// dark palette, and a dark window is recognised as one.
#include "TestSupport.h"
#include "style/StatusColors.h"

#include <QColor>
#include <QPalette>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>

using poisonlab::ui::StatusColors;

namespace {

double luminance(const QColor &c)
{
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette themed(bool dark)
{
    QPalette p;
    const QColor window = dark ? QColor(0x2b, 0x2b, 0x2b) : QColor(0xef, 0xef, 0xef);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::Base, dark ? QColor(0x1e, 0x1e, 0x1e) : Qt::white);
    p.setColor(QPalette::WindowText, dark ? Qt::white : Qt::black);
    return p;
}

} // namespace

class TestStatusColors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readableOnBothThemes_data();
    void readableOnBothThemes();
};

void TestStatusColors::readableOnBothThemes_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<int>("which"); // 0 error, 1 warning, 2 poison
    for (bool dark : {false, true})
        for (int which = 0; which < 3; ++which)
            QTest::newRow(qPrintable(QStringLiteral("%1 %2")
                                         .arg(dark ? QStringLiteral("dark") : QStringLiteral("light"))
                                         .arg(QStringList{"error", "warning", "poison"}[which])))
                << dark << which;
}

void TestStatusColors::readableOnBothThemes()
{
    QFETCH(bool, dark);
    QFETCH(int, which);
    const QPalette palette = themed(dark);
    QCOMPARE(StatusColors::isDark(palette), dark);
    const QColor colour = which == 0   ? StatusColors::error(palette)
                          : which == 1 ? StatusColors::warning(palette)
                                       : StatusColors::poison(palette);
    for (QPalette::ColorRole role : {QPalette::Window, QPalette::Base}) {
        const double ratio = contrast(colour, palette.color(role));
        QVERIFY2(ratio >= 4.5,
                 qPrintable(QStringLiteral("%1 on %2: %3").arg(colour.name(), palette.color(role).name()).arg(ratio)));
    }
    QVERIFY(StatusColors::errorStyle(palette).contains(StatusColors::error(palette).name()));
}

POISONLAB_TEST_MAIN(TestStatusColors)
#include "tst_statuscolors.moc"
