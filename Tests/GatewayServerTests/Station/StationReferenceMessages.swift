/// The example messages of basics-station-protocol.md, verbatim, so the tests read against the
/// reference rather than against our own encoder.
enum StationReferenceMessages {
    static let version = #"""
        {"msgtype":"version","station":"2.0.6(linux/testsim)","firmware":null,"package":null,"model":"linux","protocol":2,"features":"rmtsh"}
        """#

    static let joinRequest = #"""
        {"msgtype":"jreq","MHdr":0,"JoinEui":"70-B3-D5-7E-D0-00-00-01","DevEui":"00-04-A3-0B-00-1C-05-30",
         "DevNonce":4660,"MIC":1235442767,"RefTime":1795262489.726412,"DR":3,"Freq":868300000,
         "upinfo":{"rctx":0,"xtime":45035996546115715,"gpstime":0,"fts":-1,"rssi":-50,"snr":9,"rxtime":1795262489.726413}}
        """#

    /// MHdr | JoinEUI LE | DevEUI LE | DevNonce LE | MIC LE, worked out by hand from the fields above.
    static let joinRequestPHYPayload = "00" + "010000D07ED5B370" + "30051C000BA30400" + "3412" + "4F5CA349"

    static let dataUplink = #"""
        {"msgtype":"updf","MHdr":64,"DevAddr":637604404,"FCtrl":0,"FCnt":7,"FOpts":"","FPort":10,
         "FRMPayload":"9252CDD763","MIC":188834127,"RefTime":1795262495.245834,"DR":0,"Freq":867100000,
         "upinfo":{"rctx":0,"xtime":45035996551636597,"gpstime":0,"fts":-1,"rssi":-50,"snr":9,"rxtime":1795262495.245758}}
        """#

    /// 0x40 | DevAddr 0x26011234 LE | FCtrl 0 | FCnt 7 LE | FPort 10 | FRMPayload | MIC 188834127 LE.
    static let dataUplinkPHYPayload = "40" + "34120126" + "00" + "0700" + "0A" + "9252CDD763" + "4F61410B"

    static let downlinkTransmitted = #"""
        {"msgtype":"dntxed","seqno":1,"diid":1,"DR":5,"Freq":868100000,"DevEui":"00-00-00-00-00-00-00-AA","rctx":0,"xtime":26740123061508404,"txtime":451.26543,"gpstime":0}
        """#

    static let cupsRequest = #"""
        {"router":"16:c001:ff10:a235","cupsUri":"https://localhost:41983","tcUri":null,
         "cupsCredCrc":3780750672,"tcCredCrc":2077607535,
         "station":"2.0.6(linux/testsim) 2026-11-21 11:56:31","model":"linux",
         "package":"1.0","keys":[]}
        """#

    static let routerConfigEU868 = #"""
        {"msgtype":"router_config","region":"EU868","hwspec":"sx1301/1",
         "freq_range":[863000000,870000000],
         "DRs":[[12,125,0],[11,125,0],[10,125,0],[9,125,0],[8,125,0],[7,125,0],[7,250,0],[0,0,0],
                [-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0]],
         "sx1301_conf":[{"radio_0":{"enable":true,"freq":867500000},"radio_1":{"enable":true,"freq":868500000},
           "chan_FSK":{"enable":false},"chan_Lora_std":{"enable":false},
           "chan_multiSF_0":{"enable":true,"radio":1,"if":-400000},"chan_multiSF_1":{"enable":true,"radio":1,"if":-200000},
           "chan_multiSF_2":{"enable":true,"radio":1,"if":0},"chan_multiSF_3":{"enable":true,"radio":0,"if":-400000},
           "chan_multiSF_4":{"enable":true,"radio":0,"if":-200000},"chan_multiSF_5":{"enable":true,"radio":0,"if":0},
           "chan_multiSF_6":{"enable":true,"radio":0,"if":200000},"chan_multiSF_7":{"enable":true,"radio":0,"if":400000}}],
         "upchannels":[[868100000,0,5],[868300000,0,5],[868500000,0,5]],
         "max_eirp":16.0,"JoinEui":null,"NetID":null,"nocca":true,"nodc":true,"nodwell":true,
         "MuxTime":1795262442.98}
        """#

    static let downlink = #"""
        {"msgtype":"dnmsg","DevEui":"00-00-00-00-00-00-00-AA","dC":0,"diid":1,"pdu":"20",
         "RxDelay":5,"RX1DR":5,"RX1Freq":868100000,"RX2DR":0,"RX2Freq":869525000,
         "priority":0,"xtime":26740123056508404,"rctx":0,"MuxTime":1795262442.98}
        """#
}
