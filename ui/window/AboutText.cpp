#include "window/AboutText.h"

#include "poisonlab/core/Version.h"

#include <QObject>
#include <QtGlobal>

namespace poisonlab::ui {

QString aboutText()
{
    return QObject::tr("<h3>PoisonLab %1</h3>"
                       "<p>A workbench for studying data-poisoning attacks on multimodal (CLIP-style) "
                       "encoders, after Yang et al., <i>Data Poisoning Attacks Against Multimodal "
                       "Encoders</i> (ICML 2023).</p>"
                       "<table>"
                       "<tr><td>PoisonLab</td><td>%1</td></tr>"
                       "<tr><td>LibTorch</td><td>%2</td></tr>"
                       "<tr><td>Qt</td><td>%3 (built with %4)</td></tr>"
                       "</table>")
        .arg(QString::fromStdString(projectVersion()), QString::fromStdString(torchVersion()),
             QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR));
}

} // namespace poisonlab::ui
