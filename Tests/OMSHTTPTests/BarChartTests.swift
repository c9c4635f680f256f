@testable import OMSHTTP
import Testing

@Suite("SVG bar chart")
struct BarChartTests {
    @Test("bars are as long as their value relative to the largest, labels escaped")
    func bars() {
        let chart = BarChart(title: "Orders & <returns>", bars: [
            .init(label: "web", value: 200, text: "200"), .init(label: "<amazon>", value: 50, text: "50"),
            .init(label: "ebay", value: 0, text: "0"),
        ])
        #expect(chart.lengths == [BarChart.barRoom, (BarChart.barRoom / 4).rounded(), 0])
        #expect(chart.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(chart.svg.contains("<title>Orders &amp; &lt;returns&gt;</title>"))
        #expect(chart.svg.contains(">&lt;amazon&gt;</text>"))
        #expect(chart.svg.contains("<rect x=\"150\" y=\"30\" width=\"410\" height=\"20\""))
        #expect(!chart.svg.contains("<amazon>"))
    }

    @Test("a chart with no values draws no bars longer than zero")
    func empty() {
        #expect(BarChart(title: "none", bars: [.init(label: "a", value: 0, text: "0")]).lengths == [0])
        #expect(BarChart(title: "none", bars: []).svg.hasSuffix("</text></svg>"))
    }
}
