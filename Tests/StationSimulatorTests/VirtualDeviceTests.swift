import Testing

@testable import StationSimulator
